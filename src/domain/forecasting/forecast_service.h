// ForecastService: demand forecasts on request (DESIGN.md §4.5).
//
//   Generate(product, location?, horizonDays, model?)
//     -> ForecastFromHistory (history_forecast.h: DemandHistory::Series of
//        complete days up to yesterday, UTC -> ForecastDemand with the
//        tenant's calendar: holdout, model choice)
//     -> DynamicReorderPoint (reorder_point.h) for the lead time asked
//     -> forecast.generated appended to "forecast-<productId>"
//   Latest(product, location?) -> the newest forecast.generated there
//
// The forecast starts today and covers `horizon_days` days; today's sales
// so far are not history (the day is not complete).
//
// Errors: InvalidArgument (horizon outside [1, kMaxHorizonDays], bad
// model, lead time or service level), NotFound (unknown or deleted
// product, unknown location, no forecast yet), FailedPrecondition
// (holt_winters asked for with too short a history).
//
// Ownership: borrows DomainDeps, the catalog reader and the demand history,
// which must outlive it. Thread-safety: safe for concurrent use.
#ifndef STOCKPILE_DOMAIN_FORECASTING_FORECAST_SERVICE_H_
#define STOCKPILE_DOMAIN_FORECASTING_FORECAST_SERVICE_H_

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "domain/catalog/catalog_reader.h"
#include "domain/common/command_context.h"
#include "domain/forecasting/demand_forecaster.h"
#include "domain/forecasting/demand_history.h"
#include "domain/forecasting/forecast.h"
#include "domain/forecasting/history_forecast.h"
#include "domain/tenant/tenant_settings_service.h"

namespace stockpile::domain::forecasting {

inline constexpr int kMaxHorizonDays = 365;

struct ForecastRequest {
  std::string product_id;
  std::string location_id;  // "" = all locations summed
  int horizon_days = 0;
  std::optional<ModelType> model;  // unset = the better on the holdout
  int lead_time_days = 7;
  double service_level = 0.95;
};

class ForecastService {
 public:
  // `calendars`, when set, gives each tenant's business calendar: its
  // seasonal factors and holidays shape the forecast (calendar_forecast.h).
  ForecastService(const common::DomainDeps& deps,
                  const catalog::CatalogReader& catalog,
                  const DemandHistory& history,
                  const tenant::TenantSettingsService* calendars = nullptr);

  core::Result<Forecast> Generate(const common::CommandContext& ctx,
                                  const ForecastRequest& request);

  // The newest forecast of the product at `location_id`; "" = the newest
  // whatever its location.
  core::Result<Forecast> Latest(std::string_view tenant,
                                std::string_view product_id,
                                std::string_view location_id) const;

 private:
  core::Status CheckProductAndLocation(std::string_view tenant,
                                       const ForecastRequest& request) const;

  // Immutable after construction.
  const common::DomainDeps deps_;
  const catalog::CatalogReader& catalog_;
  const DemandHistory& history_;
  const tenant::TenantSettingsService* const calendars_;  // may be null
};

}  // namespace stockpile::domain::forecasting

#endif  // STOCKPILE_DOMAIN_FORECASTING_FORECAST_SERVICE_H_
