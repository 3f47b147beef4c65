#include "domain/purchasing/rule_reorder_point.h"

#include <algorithm>
#include <cmath>
#include <memory>

#include "core/status_macros.h"
#include "domain/common/calendar_day.h"
#include "domain/forecasting/history_forecast.h"

namespace stockpile::domain::purchasing {
namespace {

// Kept to 1/1000 of a unit, as forecasts are.
double Round3(double v) { return std::round(v * 1000) / 1000; }

}  // namespace

int64_t RuleLeadTimeDays(const ReplenishmentRule& rule,
                         const catalog::SupplierState& supplier) {
  return rule.lead_time_days > 0 ? rule.lead_time_days
                                 : supplier.lead_time_days;
}

void EffectiveReorderPoint::AddToPayload(boost::json::object& payload) const {
  payload["reorderPointMode"] = dynamic ? "dynamic" : "static";
  payload["reorderPointBasis"] = basis;
  if (!lead_time) return;
  payload["leadTimeCalendarDays"] = lead_time->CalendarDays();
  if (!lead_time->region.empty()) payload["leadTimeRegion"] = lead_time->region;
  if (!forecast) return;
  payload["leadTimeDemand"] = Round3(forecast->lead_time_demand);
  payload["safetyStock"] = Round3(forecast->safety_stock);
  payload["serviceLevel"] = forecast->service_level;
  payload["forecastModel"] = model;
  payload["historyDays"] = history_days;
}

core::Result<EffectiveReorderPoint> RuleReorderPoint(
    const DemandSources& sources, std::string_view tenant,
    const ReplenishmentRule& rule, const catalog::SupplierState& supplier,
    int64_t now_millis) {
  EffectiveReorderPoint rp;
  rp.reorder_point = rule.reorder_point;
  if (!rule.dynamic_reorder_point) return rp;
  rp.dynamic = true;
  rp.basis = "rule_no_history";
  ASSIGN_OR_RETURN(
      rp.lead_time,
      ExpectedDelivery(sources.calendars, tenant, supplier.region,
                       RuleLeadTimeDays(rule, supplier), now_millis));
  if (sources.history == nullptr) return rp;
  const int window = static_cast<int>(std::clamp<int64_t>(
      rp.lead_time->CalendarDays(), 1, forecasting::kMaxLeadTimeDays));
  std::shared_ptr<const calendar::BusinessCalendar> cal;
  if (sources.calendars != nullptr) cal = sources.calendars->Calendar(tenant);
  ASSIGN_OR_RETURN(forecasting::HistoryForecast f,
                   forecasting::ForecastFromHistory(
                       *sources.history, {.tenant = tenant,
                                          .product_id = rule.product_id,
                                          .location_id = rule.location_id,
                                          .today = common::DayOf(now_millis),
                                          .days = window,
                                          .calendar = cal.get()}));
  if (f.series.units.empty()) return rp;
  ASSIGN_OR_RETURN(rp.forecast, forecasting::DynamicReorderPoint(
                                    f.demand.daily, f.demand.sigma, window,
                                    rule.service_level));
  rp.basis = "forecast";
  rp.reorder_point = rp.forecast->reorder_point;
  rp.model = std::string(forecasting::ModelTypeName(f.demand.model));
  rp.history_days = static_cast<int64_t>(f.series.units.size());
  return rp;
}

}  // namespace stockpile::domain::purchasing
