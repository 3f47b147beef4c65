#include "domain/forecasting/forecast_service.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <utility>

#include "core/status_macros.h"
#include "domain/common/calendar_day.h"
#include "domain/common/ids.h"
#include "domain/forecasting/reorder_point.h"

namespace stockpile::domain::forecasting {
namespace {

constexpr std::string_view kSource = "forecasting";
// Forecast values are kept to 1/1000 of a unit.
double Round3(double v) { return std::round(v * 1000) / 1000; }

}  // namespace

ForecastService::ForecastService(const common::DomainDeps& deps,
                                 const catalog::CatalogReader& catalog,
                                 const DemandHistory& history,
                                 const tenant::TenantSettingsService* calendars)
    : deps_(deps),
      catalog_(catalog),
      history_(history),
      calendars_(calendars) {}

core::Status ForecastService::CheckProductAndLocation(
    std::string_view tenant, const ForecastRequest& request) const {
  ASSIGN_OR_RETURN(catalog::ProductState product,
                   catalog_.GetProduct(tenant, request.product_id));
  if (product.deleted) {
    return core::NotFoundError("product '" + request.product_id +
                               "' is deleted");
  }
  if (request.location_id.empty()) return core::Status::Ok();
  RETURN_IF_ERROR(common::ValidateId(request.location_id, "locationId"));
  ASSIGN_OR_RETURN(catalog::LocationsState locations,
                   catalog_.GetLocations(tenant));
  if (!locations.Contains(request.location_id)) {
    return core::NotFoundError("unknown location '" + request.location_id +
                               "'");
  }
  return core::Status::Ok();
}

core::Result<Forecast> ForecastService::Generate(
    const common::CommandContext& ctx, const ForecastRequest& request) {
  if (request.horizon_days < 1 || request.horizon_days > kMaxHorizonDays) {
    return core::InvalidArgumentError("horizonDays must be between 1 and " +
                                      std::to_string(kMaxHorizonDays));
  }
  RETURN_IF_ERROR(CheckProductAndLocation(ctx.tenant, request));
  const int64_t today = common::DayOf(deps_.clock->NowMillis());
  std::shared_ptr<const calendar::BusinessCalendar> cal;
  if (calendars_ != nullptr) cal = calendars_->Calendar(ctx.tenant);
  // Forecast at least the lead time, for the reorder point.
  ASSIGN_OR_RETURN(
      HistoryForecast forecast,
      ForecastFromHistory(
          history_, {.tenant = ctx.tenant,
                     .product_id = request.product_id,
                     .location_id = request.location_id,
                     .today = today,
                     .days = std::max(request.horizon_days,
                                      std::clamp(request.lead_time_days, 1,
                                                 kMaxLeadTimeDays)),
                     .calendar = cal.get(),
                     .model = request.model}));
  const DailySeries& series = forecast.series;
  DemandForecast& demand = forecast.demand;
  ASSIGN_OR_RETURN(
      ReorderPoint rp,
      DynamicReorderPoint(demand.daily, demand.sigma, request.lead_time_days,
                          request.service_level));
  Forecast f;
  f.forecast_id = "fc-" + deps_.ids->NextString();
  f.product_id = request.product_id;
  f.location_id = request.location_id;
  f.model_type = std::string(ModelTypeName(demand.model));
  f.start_day = today;
  demand.daily.resize(static_cast<size_t>(request.horizon_days));
  for (double v : demand.daily) f.daily.push_back(Round3(v));
  if (demand.mape) f.mape = Round3(*demand.mape);
  f.holdout_days = demand.holdout_days;
  f.history_days = static_cast<int64_t>(series.units.size());
  f.sigma = Round3(demand.sigma);
  f.lead_time_days = rp.lead_time_days;
  f.service_level = rp.service_level;
  f.lead_time_demand = Round3(rp.lead_time_demand);
  f.safety_stock = Round3(rp.safety_stock);
  f.suggested_reorder_point = rp.reorder_point;

  core::Event e =
      common::NewEvent(deps_, ctx, kSource, std::string(kForecastGenerated),
                       "forecast", request.product_id, f.ToPayload());
  f.generated_at_ms = e.timestamp_ms;
  std::vector<core::Event> batch;
  batch.push_back(std::move(e));
  RETURN_IF_ERROR(deps_.store
                      ->Append(ctx.tenant, ForecastStream(request.product_id),
                               store::ExpectedVersion::Any(), std::move(batch))
                      .status());
  return f;
}

core::Result<Forecast> ForecastService::Latest(
    std::string_view tenant, std::string_view product_id,
    std::string_view location_id) const {
  RETURN_IF_ERROR(common::ValidateId(product_id, "product id"));
  constexpr size_t kPage = 100;
  int64_t from = store::kStreamEnd;
  while (true) {
    auto page =
        deps_.store->ReadStream(tenant, ForecastStream(product_id), from, kPage,
                                store::Direction::kBackward);
    if (!page.ok() && page.status().code() != core::StatusCode::kNotFound) {
      return page.status();
    }
    if (!page.ok() || page->empty()) break;
    for (const core::EventPtr& e : *page) {
      if (e->event_type != kForecastGenerated) continue;
      if (!location_id.empty() &&
          e->PayloadString("locationId") != location_id) {
        continue;
      }
      return Forecast::FromEvent(*e);
    }
    from = page->back()->stream_version - 1;
    if (from < 1) break;
  }
  return core::NotFoundError(
      "product '" + std::string(product_id) + "' has no forecast" +
      (location_id.empty() ? std::string()
                           : " at '" + std::string(location_id) + "'"));
}

}  // namespace stockpile::domain::forecasting
