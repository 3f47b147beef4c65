#include "api/system_routes.h"

#include <memory>
#include <utility>

namespace stockpile::api {

void AddSystemRoutes(Router& router, SystemRoutes routes) {
  auto shared = std::make_shared<const SystemRoutes>(std::move(routes));
  router.AddPublic("GET", "/health", [](const Request&) {
    return Response::Json(200, "{\"status\":\"ok\"}")
        .WithHeader("Cache-Control", "no-store");
  });
  router.AddPublic("GET", "/health/services", [shared](const Request&) {
    ServicesHealth health;
    if (shared->services_health) {
      health = shared->services_health();
    } else {
      health.json = "{\"status\":\"up\",\"components\":{}}";
    }
    return Response::Json(health.healthy ? 200 : 503, std::move(health.json))
        .WithHeader("Cache-Control", "no-store");
  });
  router.AddPublic("GET", "/metrics", [shared](const Request&) {
    std::string text = shared->metrics_text ? shared->metrics_text() : "";
    return Response::Text(200, std::move(text),
                          "text/plain; version=0.0.4; charset=utf-8");
  });
  router.AddPublic("GET", "/openapi.json", [shared](const Request&) {
    return Response::Json(200, shared->openapi_json);
  });
}

}  // namespace stockpile::api
