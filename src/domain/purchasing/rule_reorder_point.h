// RuleReorderPoint: the reorder point a replenishment review compares the
// inventory position with (DESIGN.md §4.5, issue 5).
//
//   reorderPointMode "static"  -> the rule's reorderPoint
//   reorderPointMode "dynamic" -> lead time = the rule's leadTimeDays, else
//        the supplier's, in business days of the supplier's region
//        (lead_time.h), as the calendar days from today to the delivery
//        date (at least 1: the day's own demand)
//     -> ForecastFromHistory (the demand history read model and the
//        tenant's calendar) over those calendar days
//     -> DynamicReorderPoint: forecast demand over the lead time
//        + z(serviceLevel) * sigma * sqrt(calendar days)
//   While the product has no demand history at all the dynamic rule falls
//   back to its reorderPoint (basis "rule_no_history").
//
//   ASSIGN_OR_RETURN(EffectiveReorderPoint rp, RuleReorderPoint(
//       {.history = &history, .calendars = &tenants}, "acme", rule,
//       supplier, now_ms));
//   if (position <= rp.reorder_point) ...   // rp.ToPayload() says why
//
// Errors: those of ExpectedDelivery and ForecastFromHistory.
//
// Thread-safety: a function of its arguments, which are safe for
// concurrent use.
#ifndef STOCKPILE_DOMAIN_PURCHASING_RULE_REORDER_POINT_H_
#define STOCKPILE_DOMAIN_PURCHASING_RULE_REORDER_POINT_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "domain/catalog/supplier_state.h"
#include "domain/forecasting/demand_history.h"
#include "domain/forecasting/reorder_point.h"
#include "domain/purchasing/lead_time.h"
#include "domain/purchasing/replenishment_rule_state.h"
#include "domain/tenant/tenant_settings_service.h"

namespace stockpile::domain::purchasing {

// The read models a dynamic reorder point reads; both may be null (no
// history: every dynamic rule falls back; no calendars: the lead time
// counts business days of the supplier's region only, else calendar days).
struct DemandSources {
  const forecasting::DemandHistory* history = nullptr;
  const tenant::TenantSettingsService* calendars = nullptr;
};

struct EffectiveReorderPoint {
  int64_t reorder_point = 0;  // the one in force
  bool dynamic = false;       // the rule's mode
  // "rule" (static), "forecast" or "rule_no_history" (dynamic fallback).
  std::string basis = "rule";
  // Dynamic rules only.
  std::optional<LeadTime> lead_time;
  std::optional<forecasting::ReorderPoint> forecast;
  std::string model;  // the forecast model's name
  int64_t history_days = 0;

  // The replenishment.triggered fields: reorderPointMode,
  // reorderPointBasis, and for dynamic rules leadTimeCalendarDays,
  // leadTimeRegion (when not calendar days), leadTimeDemand, safetyStock,
  // serviceLevel, forecastModel.
  void AddToPayload(boost::json::object& payload) const;
};

// The lead time of `rule` from `supplier`: the rule's when set, else the
// supplier's (business days).
int64_t RuleLeadTimeDays(const ReplenishmentRule& rule,
                         const catalog::SupplierState& supplier);

core::Result<EffectiveReorderPoint> RuleReorderPoint(
    const DemandSources& sources, std::string_view tenant,
    const ReplenishmentRule& rule, const catalog::SupplierState& supplier,
    int64_t now_millis);

}  // namespace stockpile::domain::purchasing

#endif  // STOCKPILE_DOMAIN_PURCHASING_RULE_REORDER_POINT_H_
