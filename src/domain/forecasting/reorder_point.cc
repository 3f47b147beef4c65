#include "domain/forecasting/reorder_point.h"

#include <cmath>
#include <numeric>
#include <string>

namespace stockpile::domain::forecasting {

double NormalQuantile(double p) {
  constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                          -2.759285104469687e+02, 1.383577518672690e+02,
                          -3.066479806614716e+01, 2.506628277459239e+00};
  constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                          -1.556989798598866e+02, 6.680131188771972e+01,
                          -1.328068155288572e+01};
  constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                          -2.400758277161838e+00, -2.549732539343734e+00,
                          4.374664141464968e+00,  2.938163982698783e+00};
  constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                          2.445134137142996e+00, 3.754408661907416e+00};
  constexpr double kLow = 0.02425;
  auto tail = [&](double q) {
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q +
            c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  };
  if (p < kLow) return tail(std::sqrt(-2 * std::log(p)));
  if (p > 1 - kLow) return -tail(std::sqrt(-2 * std::log(1 - p)));
  const double q = p - 0.5;
  const double r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) *
         q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

core::Result<ReorderPoint> DynamicReorderPoint(
    std::span<const double> daily_forecast, double sigma, int lead_time_days,
    double service_level) {
  if (lead_time_days < 1 || lead_time_days > kMaxLeadTimeDays) {
    return core::InvalidArgumentError("leadTimeDays must be between 1 and " +
                                      std::to_string(kMaxLeadTimeDays));
  }
  if (daily_forecast.size() < static_cast<size_t>(lead_time_days)) {
    return core::InvalidArgumentError(
        "the forecast is shorter than the lead time");
  }
  if (!(service_level >= kMinServiceLevel &&
        service_level <= kMaxServiceLevel)) {
    return core::InvalidArgumentError(
        "serviceLevel must be between 0.5 and 0.9999");
  }
  if (!std::isfinite(sigma) || sigma < 0) {
    return core::InvalidArgumentError("sigma must be finite and >= 0");
  }
  ReorderPoint rp;
  rp.lead_time_days = lead_time_days;
  rp.service_level = service_level;
  rp.z = NormalQuantile(service_level);
  const auto lead = daily_forecast.first(static_cast<size_t>(lead_time_days));
  rp.lead_time_demand = std::accumulate(lead.begin(), lead.end(), 0.0);
  rp.safety_stock = rp.z * sigma * std::sqrt(lead_time_days);
  rp.reorder_point = static_cast<int64_t>(
      std::ceil(rp.lead_time_demand + rp.safety_stock - 1e-9));
  return rp;
}

}  // namespace stockpile::domain::forecasting
