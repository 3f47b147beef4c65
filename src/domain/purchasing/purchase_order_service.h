// PurchaseOrderService: the purchase order's commands (DESIGN.md §4.2,
// §7): create (by hand or for a replenishment rule), approve, receive
// (partly or wholly), cancel.
//
//   PurchaseOrderService pos(deps, catalog);
//   ASSIGN_OR_RETURN(PurchaseOrderState po, pos.Create(ctx,
//       {.supplier_id = "sup-1", .lines = {{.product_id = "p1",
//                                           .quantity = 50}}}));
//   ASSIGN_OR_RETURN(po, pos.Approve(ctx, po.id));
//   ASSIGN_OR_RETURN(po, pos.Receive(ctx, po.id, {{"p1", 20}}));
//
// Create first takes the next PO-<year>-<seq> of the tenant
// (po_number_state.h), then appends purchasing.order.created (and, under
// the auto-approve limit, purchasing.order.approved by "auto") to the new
// purchase order's stream. A line without a unit cost costs what the
// supplier's price list says. The order records its lead time (given, else
// the supplier's) and the expected delivery date, counted in business days
// of the supplier's region (lead_time.h). The goods of
// purchasing.order.received reach inventory through its subscription
// (inventory/purchase_receipts.h).
//
// Errors: InvalidArgument (bad input; unknown supplier, product or
// location; receiving more than ordered or a product not on the order),
// NotFound (unknown purchase order), AlreadyExists (Create with a taken
// id), Conflict (a transition the status does not allow).
//
// Ownership: borrows DomainDeps and the catalog. Thread-safety: safe for
// concurrent use.
#ifndef STOCKPILE_DOMAIN_PURCHASING_PURCHASE_ORDER_SERVICE_H_
#define STOCKPILE_DOMAIN_PURCHASING_PURCHASE_ORDER_SERVICE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domain/catalog/catalog_service.h"
#include "domain/common/aggregate_repository.h"
#include "domain/common/command_context.h"
#include "domain/purchasing/po_number_state.h"
#include "domain/purchasing/purchase_order_state.h"
#include "domain/tenant/tenant_settings_service.h"

namespace stockpile::domain::purchasing {

struct NewPurchaseOrderLine {
  std::string product_id;
  int64_t quantity = 0;                    // > 0
  std::optional<int64_t> unit_cost_minor;  // unset: the supplier's price
};

struct NewPurchaseOrder {
  std::string id;  // "" = assigned ("po-<uuid>")
  std::string supplier_id;
  std::string location_id = "main";
  std::vector<NewPurchaseOrderLine> lines;  // >= 1, one per product
  std::string source = "manual";            // or "replenishment"
  // Approved at once when the total is under this; unset = pending.
  std::optional<int64_t> auto_approve_limit_minor;
  // Days from order to delivery, in business days of the supplier's region;
  // unset = the supplier's leadTimeDays.
  std::optional<int64_t> lead_time_days;
};

// The description of a document attached to a purchase order. Stockpile
// keeps the description, not the bytes: `url` says where the document is.
struct NewDocument {
  std::string file_name;     // 1..255 characters, no control characters
  std::string content_type;  // "type/subtype", e.g. "application/pdf"
  int64_t size_bytes = 0;    // >= 0
  std::string url;           // optional; http:// or https://
};

struct ReceivedLine {
  std::string product_id;
  int64_t quantity = 0;  // > 0
};

class PurchaseOrderService {
 public:
  // `calendars`, when set, gives each tenant's calendar, whose region
  // counts the lead time of a supplier without one (lead_time.h).
  PurchaseOrderService(
      const common::DomainDeps& deps, const catalog::CatalogService& catalog,
      const tenant::TenantSettingsService* calendars = nullptr);

  core::Result<PurchaseOrderState> Create(const common::CommandContext& ctx,
                                          NewPurchaseOrder order);
  // pending -> approved.
  core::Result<PurchaseOrderState> Approve(const common::CommandContext& ctx,
                                           std::string_view id);
  // approved | partially_received -> partially_received | received. Lines
  // of the same product are summed; none may bring a line's received above
  // its ordered quantity.
  core::Result<PurchaseOrderState> Receive(const common::CommandContext& ctx,
                                           std::string_view id,
                                           std::vector<ReceivedLine> lines);
  // pending | approved -> cancelled.
  core::Result<PurchaseOrderState> Cancel(const common::CommandContext& ctx,
                                          std::string_view id);

  core::Result<PurchaseOrderState> Get(std::string_view tenant,
                                       std::string_view id) const;

  // Attaches `document` to the order, whatever its status:
  // document.uploaded. Returns the document as listed in the order's
  // `documents` (documentId assigned). InvalidArgument naming a bad field,
  // NotFound for no such order.
  core::Result<boost::json::object> AttachDocument(
      const common::CommandContext& ctx, std::string_view id,
      const NewDocument& document);

 private:
  core::Result<std::string> AssignNumber(const common::CommandContext& ctx,
                                         const std::string& id);
  // The order's supplier, its lines priced.
  core::Result<catalog::SupplierState> PriceLines(
      const common::CommandContext& ctx, const NewPurchaseOrder& order,
      std::vector<PurchaseOrderLine>& lines, std::string& currency) const;
  core::Result<PurchaseOrderState> Transition(
      const common::CommandContext& ctx, std::string_view id,
      const std::function<core::Result<core::Event>(const PurchaseOrderState&)>&
          decide);

  // Immutable after construction.
  const common::DomainDeps deps_;
  const catalog::CatalogService& catalog_;
  const tenant::TenantSettingsService* const calendars_;  // may be null
  common::AggregateRepository<PurchaseOrderState> orders_;
  common::AggregateRepository<PoNumberState> numbers_;
};

}  // namespace stockpile::domain::purchasing

#endif  // STOCKPILE_DOMAIN_PURCHASING_PURCHASE_ORDER_SERVICE_H_
