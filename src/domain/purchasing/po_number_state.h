// PoNumberState: a tenant's purchase-order numbers of one year (stream
// "po-numbers-<year>"), folded from purchasing.po_number.assigned. Numbers
// are PO-<year>-<seq> with seq counting from 1 per tenant and year, four
// digits at least ("PO-2026-0007").
//
// The newest assignments are remembered so that a command retried after
// its number was assigned (but before its purchase order was created)
// gets the same number again instead of leaving a gap.
//
// Thread-safety: a plain value.
#ifndef STOCKPILE_DOMAIN_PURCHASING_PO_NUMBER_STATE_H_
#define STOCKPILE_DOMAIN_PURCHASING_PO_NUMBER_STATE_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/event.h"
#include "core/result.h"

namespace stockpile::domain::purchasing {

inline constexpr std::string_view kPoNumberAssigned =
    "purchasing.po_number.assigned";

std::string PoNumberStream(int64_t year);
std::string FormatPoNumber(int64_t year, int64_t seq);

struct PoNumberState {
  static constexpr int kSnapshotSchema = 1;
  static constexpr size_t kRemembered = 64;

  int64_t last = 0;                             // the highest seq assigned
  std::map<std::string, std::string> recent;    // purchaseOrderId -> number
  std::map<int64_t, std::string> recent_order;  // seq -> purchaseOrderId

  // The number assigned to `purchase_order_id` lately, or "".
  std::string NumberOf(std::string_view purchase_order_id) const;

  void Apply(const core::Event& e);
  boost::json::object ToSnapshot() const;
  static core::Result<PoNumberState> FromSnapshot(const boost::json::object& o);
};

}  // namespace stockpile::domain::purchasing

#endif  // STOCKPILE_DOMAIN_PURCHASING_PO_NUMBER_STATE_H_
