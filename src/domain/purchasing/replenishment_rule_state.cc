#include "domain/purchasing/replenishment_rule_state.h"

#include <algorithm>
#include <boost/json/array.hpp>

#include "core/status_macros.h"
#include "core/time_format.h"
#include "domain/common/ids.h"
#include "domain/common/json_fields.h"
#include "domain/common/money.h"
#include "domain/forecasting/reorder_point.h"

namespace stockpile::domain::purchasing {

using common::JsonInt;
using common::JsonString;

namespace {

core::Status InRange(int64_t v, std::string_view field, int64_t min) {
  if (v < min || v > common::kMaxQuantity) {
    return core::InvalidArgumentError(
        "'" + std::string(field) + "' must be an integer " +
        (min == 0 ? "of at least 0" : "of at least " + std::to_string(min)));
  }
  return core::Status::Ok();
}

}  // namespace

std::string RuleStream(std::string_view product_id,
                       std::string_view location_id) {
  return "replenishment-" + common::PositionId(product_id, location_id);
}

core::Status ReplenishmentRule::Validate() const {
  RETURN_IF_ERROR(InRange(reorder_point, "reorderPoint", 0));
  RETURN_IF_ERROR(InRange(safety_stock, "safetyStock", 0));
  if (safety_stock > reorder_point) {
    return core::InvalidArgumentError("'safetyStock' (" +
                                      std::to_string(safety_stock) +
                                      ") must not exceed 'reorderPoint' (" +
                                      std::to_string(reorder_point) + ")");
  }
  RETURN_IF_ERROR(InRange(lead_time_days, "leadTimeDays", 0));
  if (lead_time_days > 3650) {
    return core::InvalidArgumentError("'leadTimeDays' must be at most 3650");
  }
  const bool min_max = min_quantity != 0 || max_quantity != 0;
  if (reorder_quantity != 0 && min_max) {
    return core::InvalidArgumentError(
        "give either 'reorderQuantity' or 'minQuantity' and 'maxQuantity', "
        "not both");
  }
  if (!min_max) {
    if (reorder_quantity == 0) {
      return core::InvalidArgumentError(
          "'reorderQuantity' (or 'minQuantity' and 'maxQuantity') is "
          "required");
    }
    RETURN_IF_ERROR(InRange(reorder_quantity, "reorderQuantity", 1));
  } else {
    RETURN_IF_ERROR(InRange(min_quantity, "minQuantity", 1));
    RETURN_IF_ERROR(InRange(max_quantity, "maxQuantity", 1));
    if (max_quantity <= reorder_point) {
      return core::InvalidArgumentError("'maxQuantity' (" +
                                        std::to_string(max_quantity) +
                                        ") must be above 'reorderPoint' (" +
                                        std::to_string(reorder_point) + ")");
    }
    if (min_quantity > max_quantity) {
      return core::InvalidArgumentError(
          "'minQuantity' must not exceed 'maxQuantity'");
    }
  }
  if (dynamic_reorder_point &&
      !(service_level >= forecasting::kMinServiceLevel &&
        service_level <= forecasting::kMaxServiceLevel)) {
    return core::InvalidArgumentError(
        "'serviceLevel' must be between 0.5 and "
        "0.9999");
  }
  if (supplier_id.empty()) {
    return core::InvalidArgumentError("'supplierId' is required");
  }
  if (auto_approve_limit_minor &&
      (*auto_approve_limit_minor < 0 ||
       *auto_approve_limit_minor > common::kMaxMoneyMinor)) {
    return core::InvalidArgumentError(
        "'autoApproveLimit' must be a non-negative amount");
  }
  return core::Status::Ok();
}

int64_t ReplenishmentRule::OrderQuantity(int64_t position) const {
  if (reorder_quantity > 0) return reorder_quantity;
  return std::max(max_quantity - position, min_quantity);
}

boost::json::object ReplenishmentRule::ToJson() const {
  boost::json::object o{
      {"productId", product_id},        {"locationId", location_id},
      {"reorderPoint", reorder_point},  {"safetyStock", safety_stock},
      {"leadTimeDays", lead_time_days}, {"supplierId", supplier_id}};
  if (reorder_quantity > 0) {
    o["reorderQuantity"] = reorder_quantity;
  } else {
    o["minQuantity"] = min_quantity;
    o["maxQuantity"] = max_quantity;
  }
  if (auto_approve_limit_minor) {
    o["autoApproveLimit"] = common::MoneyToJson(*auto_approve_limit_minor);
  }
  o["reorderPointMode"] = dynamic_reorder_point ? "dynamic" : "static";
  if (dynamic_reorder_point) o["serviceLevel"] = service_level;
  return o;
}

ReplenishmentRule ReplenishmentRule::FromJson(const boost::json::object& o) {
  ReplenishmentRule r;
  r.product_id = JsonString(o, "productId");
  r.location_id = JsonString(o, "locationId");
  r.reorder_point = JsonInt(o, "reorderPoint");
  r.reorder_quantity = JsonInt(o, "reorderQuantity");
  r.min_quantity = JsonInt(o, "minQuantity");
  r.max_quantity = JsonInt(o, "maxQuantity");
  r.safety_stock = JsonInt(o, "safetyStock");
  r.lead_time_days = JsonInt(o, "leadTimeDays");
  r.supplier_id = JsonString(o, "supplierId");
  if (const boost::json::value* v = o.if_contains("autoApproveLimit")) {
    core::Result<int64_t> m = common::ParseMoney(*v, "autoApproveLimit");
    if (m.ok()) r.auto_approve_limit_minor = *m;
  }
  r.dynamic_reorder_point = JsonString(o, "reorderPointMode") == "dynamic";
  if (const boost::json::value* v = o.if_contains("serviceLevel");
      v != nullptr && v->is_number()) {
    r.service_level = v->to_number<double>();
  }
  return r;
}

boost::json::object RuleState::ToJson() const {
  boost::json::object o = rule.ToJson();
  o["updatedAt"] = core::FormatRfc3339Millis(updated_at_ms);
  o["triggeredCount"] = triggered;
  return o;
}

void RuleState::Apply(const core::Event& e) {
  if (e.event_type == kRuleSet) {
    exists = true;
    rule = ReplenishmentRule::FromJson(e.payload);
    updated_at_ms = e.timestamp_ms;
  } else if (e.event_type == kReplenishmentTriggered) {
    ++triggered;
    const std::string id = JsonString(e.payload, "purchaseOrderId");
    recent[id] = JsonInt(e.payload, "quantity");
    recent_order[triggered] = id;
    while (recent_order.size() > kRecentTriggers) {
      recent.erase(recent_order.begin()->second);
      recent_order.erase(recent_order.begin());
    }
  }
}

boost::json::object RuleState::ToSnapshot() const {
  boost::json::array rs;
  for (const auto& [n, id] : recent_order) {
    rs.push_back(boost::json::object{
        {"n", n}, {"purchaseOrderId", id}, {"quantity", recent.at(id)}});
  }
  return boost::json::object{{"rule", rule.ToJson()},
                             {"updatedAtMs", updated_at_ms},
                             {"triggered", triggered},
                             {"recent", std::move(rs)}};
}

core::Result<RuleState> RuleState::FromSnapshot(const boost::json::object& o) {
  const boost::json::value* rule = o.if_contains("rule");
  const boost::json::value* rs = o.if_contains("recent");
  if (rule == nullptr || !rule->is_object() || rs == nullptr ||
      !rs->is_array()) {
    return core::InternalError("replenishment rule snapshot is malformed");
  }
  RuleState s;
  s.exists = true;
  s.rule = ReplenishmentRule::FromJson(rule->get_object());
  s.updated_at_ms = JsonInt(o, "updatedAtMs");
  s.triggered = JsonInt(o, "triggered");
  for (const boost::json::value& v : rs->get_array()) {
    const boost::json::object* r = v.if_object();
    if (r == nullptr) continue;
    const std::string id = JsonString(*r, "purchaseOrderId");
    s.recent[id] = JsonInt(*r, "quantity");
    s.recent_order[JsonInt(*r, "n")] = id;
  }
  return s;
}

}  // namespace stockpile::domain::purchasing
