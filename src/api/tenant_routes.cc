#include "api/tenant_routes.h"

#include <boost/json/serialize.hpp>

#include "api/json_body.h"
#include "api/status_http.h"

namespace stockpile::api {
namespace {

Response Answer(const core::Result<boost::json::object>& settings,
                const Request& req) {
  if (!settings.ok()) return ErrorResponse(settings.status(), req);
  return Response::Json(200, boost::json::serialize(*settings));
}

Response GetSettings(const TenantApi& api, const Request& req) {
  return Answer(api.service->Get(req.caller().tenant), req);
}

Response PutSettings(const TenantApi& api, const Request& req) {
  auto body = ParseJsonObjectBody(req);
  if (!body.ok()) {
    return ErrorResponse(body.status(), req, ErrorStage::kDecoding);
  }
  return Answer(api.service->Update(CommandContextOf(req), *body), req);
}

}  // namespace

void AddTenantRoutes(Router& router, TenantApi api) {
  router.Add("GET", "/api/v1/tenant/settings", Permission::kOperations,
             [api](const Request& req) { return GetSettings(api, req); });
  router.Add("PUT", "/api/v1/tenant/settings", Permission::kOperations,
             [api](const Request& req) { return PutSettings(api, req); });
}

}  // namespace stockpile::api
