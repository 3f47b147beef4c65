// PurchaseOrderState: one purchase order (stream "purchase-order-<id>"),
// folded from purchasing.order.created / approved / received / cancelled
// (DESIGN.md §7 purchase order shape).
//
//   pending -> approved -> partially_received -> received
//   pending | approved -> cancelled
// A purchase order raised by a replenishment rule under the rule's
// auto-approve limit is approved in the same append as its creation.
// "Open" (it still covers a shortage) = pending, approved or
// partially_received.
//
// Thread-safety: a plain value.
#ifndef STOCKPILE_DOMAIN_PURCHASING_PURCHASE_ORDER_STATE_H_
#define STOCKPILE_DOMAIN_PURCHASING_PURCHASE_ORDER_STATE_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/result.h"

namespace stockpile::domain::purchasing {

inline constexpr std::string_view kPoCreated = "purchasing.order.created";
inline constexpr std::string_view kPoApproved = "purchasing.order.approved";
inline constexpr std::string_view kPoReceived = "purchasing.order.received";
inline constexpr std::string_view kPoCancelled = "purchasing.order.cancelled";
// A document (e.g. the supplier's invoice) attached to a purchase order; in
// the order's stream, aggregate "document".
inline constexpr std::string_view kDocumentUploaded = "document.uploaded";

std::string PurchaseOrderStream(std::string_view purchase_order_id);

struct PurchaseOrderLine {
  std::string product_id;
  int64_t quantity = 0;  // ordered, > 0
  int64_t received = 0;  // 0 <= received <= quantity
  int64_t unit_cost_minor = 0;
};

struct PurchaseOrderState {
  static constexpr int kSnapshotSchema = 1;

  bool exists = false;
  std::string id;
  std::string po_number;  // PO-<year>-<seq>
  std::string supplier_id;
  std::string location_id;
  std::string currency;
  std::string status;  // pending|approved|partially_received|received|
                       // cancelled
  std::string source;  // "manual" or "replenishment"
  std::string approved_by;
  // The lead time in business days of lead_time_region ("" = calendar
  // days) and the delivery date it gives, "YYYY-MM-DD" ("" = an order
  // from before lead times were recorded).
  int64_t lead_time_days = 0;
  std::string lead_time_region;
  std::string expected_delivery_date;
  std::vector<PurchaseOrderLine> lines;
  int64_t total_minor = 0;
  int64_t receipts = 0;  // purchasing.order.received events so far
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  // {documentId, fileName, contentType, sizeBytes, url?, uploadedAt}, in
  // the order they were attached.
  std::vector<boost::json::object> documents;

  bool IsOpen() const;
  // Ordered minus received of `product_id` while open, else 0.
  int64_t Outstanding(std::string_view product_id) const;

  // {id, poNumber, supplierId, locationId, status, lines: [{productId,
  // quantity, receivedQuantity, unitCost}], totalAmount, currency, source,
  // approvedBy?, leadTimeDays, leadTimeRegion, expectedDeliveryDate,
  // createdAt, updatedAt, documents} (leadTimeRegion and
  // expectedDeliveryDate null when not known).
  boost::json::object ToJson() const;

  void Apply(const core::Event& e);
  boost::json::object ToSnapshot() const;
  static core::Result<PurchaseOrderState> FromSnapshot(
      const boost::json::object& o);
};

// [{productId, quantity, unitCost}] (the created event's lines) and back.
boost::json::array OrderLinesToJson(const std::vector<PurchaseOrderLine>& l);
std::vector<PurchaseOrderLine> OrderLinesFromJson(const boost::json::value* v);

}  // namespace stockpile::domain::purchasing

#endif  // STOCKPILE_DOMAIN_PURCHASING_PURCHASE_ORDER_STATE_H_
