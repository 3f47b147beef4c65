#include "api/integration_routes.h"

#include <boost/json/serialize.hpp>
#include <string>

#include "api/domain_api.h"
#include "api/json_body.h"
#include "api/permission.h"
#include "api/status_http.h"

namespace stockpile::api {
namespace {

// Payments move money: the route's clerk_write is not enough for them.
bool IsPayment(const boost::json::object& body) {
  for (const char* key : {"eventType", "type"}) {
    const boost::json::value* v = body.if_contains(key);
    if (v == nullptr || !v->is_string()) continue;
    const std::string_view type = v->get_string();
    if (type.starts_with("payment.") || type.starts_with("Payment")) {
      return true;
    }
  }
  return false;
}

Response PostEvent(const IntegrationsApi& api, const Request& req) {
  auto body = ParseJsonObjectBody(req);
  if (!body.ok()) {
    return ErrorResponse(body.status(), req, ErrorStage::kDecoding);
  }
  if (IsPayment(*body) &&
      !RoleHasPermission(req.caller().role, Permission::kBusinessWrite)) {
    return ErrorResponse(core::PermissionDeniedError(
                             "ingesting a payment needs the manager or admin "
                             "role"),
                         req);
  }
  auto result = api.service->Ingest(CommandContextOf(req), *body);
  if (!result.ok()) return ErrorResponse(result.status(), req);
  boost::json::object out{{"eventId", result->event_id},
                          {"eventType", result->event_type},
                          {"canonicalType", result->canonical_type},
                          {"position", result->position},
                          {"duplicate", result->duplicate}};
  return std::move(Response::Json(result->duplicate ? 200 : 202,
                                  boost::json::serialize(out)))
      .WithHeader("Location", "/api/v1/streams/ingest-" + result->event_id);
}

}  // namespace

void AddIntegrationRoutes(Router& router, IntegrationsApi api) {
  router.Add("POST", "/api/v1/integrations/events", Permission::kClerkWrite,
             [api](const Request& req) { return PostEvent(api, req); });
}

}  // namespace stockpile::api
