// DynamicReorderPoint: the stock level at which to reorder so that a
// replenishment arriving after the lead time finds the shelf not yet empty
// with probability `service_level` (DESIGN.md §4.5):
//
//   reorder point = forecast demand over the lead time + safety stock
//   safety stock  = z * sigma * sqrt(lead time days)
//
// where z is the standard normal quantile of the service level (0.95 ->
// 1.645) and sigma the spread of one day's forecast error (DemandForecast::
// sigma). Daily errors are taken as independent, so the spread over L days
// is sigma * sqrt(L). The reorder point is rounded up to whole units.
//
//   ASSIGN_OR_RETURN(ReorderPoint rp, DynamicReorderPoint(
//       forecast.daily, forecast.sigma, /*lead_time_days=*/7, 0.95));
//   // rp.reorder_point: reorder when available <= this
//
// Replenishment may use it in place of a rule's fixed reorder point; the
// forecast response and forecast.generated carry it (suggestedReorderPoint).
//
// Errors: InvalidArgument for a lead time outside [1, kMaxLeadTimeDays], a
// forecast shorter than the lead time, a service level outside
// [0.5, 0.9999], or a negative or non-finite sigma.
//
// Thread-safety: pure functions.
#ifndef STOCKPILE_DOMAIN_FORECASTING_REORDER_POINT_H_
#define STOCKPILE_DOMAIN_FORECASTING_REORDER_POINT_H_

#include <cstdint>
#include <span>

#include "core/result.h"

namespace stockpile::domain::forecasting {

inline constexpr int kMaxLeadTimeDays = 365;
inline constexpr double kMinServiceLevel = 0.5;
inline constexpr double kMaxServiceLevel = 0.9999;

struct ReorderPoint {
  int lead_time_days = 0;
  double service_level = 0;
  double z = 0;
  double lead_time_demand = 0;  // sum of the first lead_time_days forecasts
  double safety_stock = 0;
  int64_t reorder_point = 0;  // ceil(lead_time_demand + safety_stock)
};

core::Result<ReorderPoint> DynamicReorderPoint(
    std::span<const double> daily_forecast, double sigma, int lead_time_days,
    double service_level);

// The standard normal quantile: P(Z <= NormalQuantile(p)) = p, for p in
// (0, 1) (Acklam's rational approximation, relative error < 1.2e-9).
double NormalQuantile(double p);

}  // namespace stockpile::domain::forecasting

#endif  // STOCKPILE_DOMAIN_FORECASTING_REORDER_POINT_H_
