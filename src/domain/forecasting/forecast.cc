#include "domain/forecasting/forecast.h"

#include <boost/json/array.hpp>

#include "core/time_format.h"
#include "domain/common/calendar_day.h"
#include "domain/common/json_fields.h"

namespace stockpile::domain::forecasting {
namespace {

using common::FormatDay;

double Number(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  return v != nullptr && v->is_number() ? v->to_number<double>() : 0.0;
}

}  // namespace

std::string ForecastStream(std::string_view product_id) {
  return "forecast-" + std::string(product_id);
}

boost::json::object Forecast::ToPayload() const {
  boost::json::array values;
  for (double v : daily) values.push_back(v);
  boost::json::object p{
      {"forecastId", forecast_id},
      {"productId", product_id},
      {"modelType", model_type},
      {"horizonDays", static_cast<int64_t>(daily.size())},
      {"startDate", FormatDay(start_day)},
      {"endDate",
       FormatDay(start_day + static_cast<int64_t>(daily.size()) - 1)},
      {"daily", std::move(values)},
      {"holdoutDays", holdout_days},
      {"historyDays", history_days},
      {"sigma", sigma},
      {"leadTimeDays", lead_time_days},
      {"serviceLevel", service_level},
      {"leadTimeDemand", lead_time_demand},
      {"safetyStock", safety_stock},
      {"suggestedReorderPoint", suggested_reorder_point}};
  if (!location_id.empty()) p["locationId"] = location_id;
  if (mape) p["mape"] = *mape;
  return p;
}

boost::json::object Forecast::ToJson() const {
  boost::json::object o = ToPayload();
  o.erase("daily");
  if (location_id.empty()) o["locationId"] = nullptr;
  if (!mape) o["mape"] = nullptr;
  boost::json::array points;
  for (size_t i = 0; i < daily.size(); ++i) {
    points.push_back({{"date", FormatDay(start_day + static_cast<int64_t>(i))},
                      {"quantity", daily[i]}});
  }
  o["points"] = std::move(points);
  o["generatedAt"] = core::FormatRfc3339Millis(generated_at_ms);
  return o;
}

core::Result<Forecast> Forecast::FromEvent(const core::Event& e) {
  const boost::json::object& p = e.payload;
  Forecast f;
  f.forecast_id = common::JsonString(p, "forecastId");
  f.product_id = common::JsonString(p, "productId");
  f.location_id = common::JsonString(p, "locationId");
  f.model_type = common::JsonString(p, "modelType");
  std::optional<int64_t> start =
      common::ParseDay(common::JsonString(p, "startDate"));
  const boost::json::value* daily = p.if_contains("daily");
  if (e.event_type != kForecastGenerated || f.product_id.empty() || !start ||
      daily == nullptr || !daily->is_array()) {
    return core::InvalidArgumentError("event " + e.event_id +
                                      " is not a forecast.generated");
  }
  f.start_day = *start;
  for (const boost::json::value& v : daily->get_array()) {
    f.daily.push_back(v.is_number() ? v.to_number<double>() : 0.0);
  }
  if (const auto* m = p.if_contains("mape"); m != nullptr && m->is_number()) {
    f.mape = m->to_number<double>();
  }
  f.holdout_days = common::JsonInt(p, "holdoutDays");
  f.history_days = common::JsonInt(p, "historyDays");
  f.sigma = Number(p, "sigma");
  f.lead_time_days = common::JsonInt(p, "leadTimeDays");
  f.service_level = Number(p, "serviceLevel");
  f.lead_time_demand = Number(p, "leadTimeDemand");
  f.safety_stock = Number(p, "safetyStock");
  f.suggested_reorder_point = common::JsonInt(p, "suggestedReorderPoint");
  f.generated_at_ms = e.timestamp_ms;
  return f;
}

}  // namespace stockpile::domain::forecasting
