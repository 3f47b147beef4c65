#include "api/forecast_routes.h"

#include <boost/json/serialize.hpp>
#include <string>

#include "api/body_fields.h"
#include "api/json_body.h"
#include "api/status_http.h"
#include "core/status_macros.h"

namespace stockpile::api {
namespace {

namespace fc = domain::forecasting;

// An integer field in [1, max], `fallback` when absent.
core::Result<int> Days(const boost::json::object& body, std::string_view field,
                       std::optional<int> fallback) {
  ASSIGN_OR_RETURN(std::optional<int64_t> v, OptionalQuantity(body, field));
  if (!v && !fallback) {
    return core::InvalidArgumentError("'" + std::string(field) +
                                      "' is required");
  }
  if (!v) return *fallback;
  if (*v < 1 || *v > fc::kMaxHorizonDays) {
    return core::InvalidArgumentError("'" + std::string(field) +
                                      "' must be between 1 and " +
                                      std::to_string(fc::kMaxHorizonDays));
  }
  return static_cast<int>(*v);
}

core::Result<fc::ForecastRequest> ParseForecastRequest(
    const boost::json::object& body) {
  fc::ForecastRequest r;
  ASSIGN_OR_RETURN(r.product_id, RequiredString(body, "productId"));
  ASSIGN_OR_RETURN(std::optional<std::string> location,
                   OptionalString(body, "locationId"));
  if (location) r.location_id = std::move(*location);
  ASSIGN_OR_RETURN(r.horizon_days, Days(body, "horizonDays", std::nullopt));
  ASSIGN_OR_RETURN(r.lead_time_days,
                   Days(body, "leadTimeDays", r.lead_time_days));
  ASSIGN_OR_RETURN(std::optional<std::string> model,
                   OptionalString(body, "model"));
  if (model) {
    ASSIGN_OR_RETURN(r.model, fc::ParseModelType(*model));
  }
  const boost::json::value* level = body.if_contains("serviceLevel");
  if (level != nullptr && !level->is_null()) {
    if (!level->is_number()) {
      return core::InvalidArgumentError("'serviceLevel' must be a number");
    }
    r.service_level = level->to_number<double>();
  }
  return r;
}

Response PostForecast(const ForecastApi& api, const Request& req) {
  auto body = ParseJsonObjectBody(req);
  if (!body.ok()) {
    return ErrorResponse(body.status(), req, ErrorStage::kDecoding);
  }
  auto request = ParseForecastRequest(*body);
  if (!request.ok()) return ErrorResponse(request.status(), req);
  auto forecast = api.service->Generate(CommandContextOf(req), *request);
  if (!forecast.ok()) return ErrorResponse(forecast.status(), req);
  return std::move(
             Response::Json(201, boost::json::serialize(forecast->ToJson())))
      .WithHeader("Location", "/api/v1/forecasts/" + forecast->product_id);
}

Response GetForecast(const ForecastApi& api, const Request& req) {
  auto forecast =
      api.service->Latest(req.caller().tenant, req.PathParam("productId"),
                          req.Query("locationId").value_or(""));
  if (!forecast.ok()) return ErrorResponse(forecast.status(), req);
  return Response::Json(200, boost::json::serialize(forecast->ToJson()));
}

}  // namespace

void AddForecastRoutes(Router& router, ForecastApi api) {
  router.Add("POST", "/api/v1/forecasts", Permission::kBusinessWrite,
             [api](const Request& req) { return PostForecast(api, req); });
  router.Add("GET", "/api/v1/forecasts/{productId}", Permission::kRead,
             [api](const Request& req) { return GetForecast(api, req); });
}

}  // namespace stockpile::api
