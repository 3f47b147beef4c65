// ReplenishmentRule and RuleState: the replenishment rule of one product at
// one location and what it has triggered (stream
// "replenishment-<productId>@<locationId>"), folded from
// replenishment.rule.set (the whole rule) and replenishment.triggered.
//
// A rule orders when the inventory position — available plus what open
// purchase orders still bring — is at or below reorderPoint:
//   fixed quantity  (reorderQuantity > 0): orders reorderQuantity;
//   min/max         (reorderQuantity = 0): orders up to maxQuantity, at
//                   least minQuantity.
// safetyStock (the part of reorderPoint kept as a buffer, <= reorderPoint)
// is recorded for planning; leadTimeDays (0 = the supplier's) is the
// business days the purchase order is expected after (lead_time.h).
// reorderPointMode "dynamic": the review orders at the forecast demand over
// the lead time plus safety stock at serviceLevel instead of reorderPoint,
// which stays the fallback while there is no demand history
// (rule_reorder_point.h).
// autoApproveLimit: a purchase order whose total is under it is approved at
// once; absent = every purchase order waits for approval.
//
// Thread-safety: plain values.
#ifndef STOCKPILE_DOMAIN_PURCHASING_REPLENISHMENT_RULE_STATE_H_
#define STOCKPILE_DOMAIN_PURCHASING_REPLENISHMENT_RULE_STATE_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/event.h"
#include "core/result.h"

namespace stockpile::domain::purchasing {

inline constexpr std::string_view kRuleSet = "replenishment.rule.set";
inline constexpr std::string_view kReplenishmentTriggered =
    "replenishment.triggered";

std::string RuleStream(std::string_view product_id,
                       std::string_view location_id);

inline constexpr double kDefaultServiceLevel = 0.95;

struct ReplenishmentRule {
  std::string product_id;
  std::string location_id = "main";
  int64_t reorder_point = 0;
  int64_t reorder_quantity = 0;  // > 0, or 0 with min/max
  int64_t min_quantity = 0;
  int64_t max_quantity = 0;
  int64_t safety_stock = 0;
  int64_t lead_time_days = 0;
  std::string supplier_id;
  std::optional<int64_t> auto_approve_limit_minor;
  bool dynamic_reorder_point = false;           // reorderPointMode "dynamic"
  double service_level = kDefaultServiceLevel;  // for the dynamic one

  // InvalidArgument naming the first bad field (ids are checked by the
  // caller).
  core::Status Validate() const;
  // Units to order when the inventory position is `position` (<= the
  // reorder point).
  int64_t OrderQuantity(int64_t position) const;

  // {productId, locationId, reorderPoint, reorderQuantity | minQuantity +
  // maxQuantity, safetyStock, leadTimeDays, supplierId, autoApproveLimit?,
  // reorderPointMode: "static"|"dynamic", serviceLevel (when dynamic)}:
  // the replenishment.rule.set payload and the HTTP shape.
  boost::json::object ToJson() const;
  static ReplenishmentRule FromJson(const boost::json::object& o);
};

struct RuleState {
  static constexpr int kSnapshotSchema = 1;
  // Triggered purchase orders remembered for the coverage check; older
  // ones are closed long since (and the purchase-order list covers them).
  static constexpr size_t kRecentTriggers = 32;

  bool exists = false;
  ReplenishmentRule rule;
  int64_t updated_at_ms = 0;
  int64_t triggered = 0;  // replenishment.triggered so far
  // The newest triggered purchase orders: id -> quantity ordered.
  std::map<std::string, int64_t> recent;
  std::map<int64_t, std::string> recent_order;  // trigger number -> id

  // The rule's JSON plus updatedAt and triggeredCount.
  boost::json::object ToJson() const;

  void Apply(const core::Event& e);
  boost::json::object ToSnapshot() const;
  static core::Result<RuleState> FromSnapshot(const boost::json::object& o);
};

}  // namespace stockpile::domain::purchasing

#endif  // STOCKPILE_DOMAIN_PURCHASING_REPLENISHMENT_RULE_STATE_H_
