// The unauthenticated routes at the root (DESIGN.md §7), registered by the
// app next to the /api/v1 resources:
//
//   GET /health           liveness: 200 {"status":"ok"} while serving
//   GET /health/services  `services_health()`: 200 when healthy, else 503
//   GET /metrics          `metrics_text()` as Prometheus text 0.0.4
//   GET /openapi.json     `openapi_json` (docs/openapi.json, read by the app)
//
// A hook left empty still registers its route: /health/services then says
// {"status":"up","components":{}}, /metrics serves an empty exposition.
#ifndef STOCKPILE_API_SYSTEM_ROUTES_H_
#define STOCKPILE_API_SYSTEM_ROUTES_H_

#include <functional>
#include <string>

#include "api/router.h"

namespace stockpile::api {

struct ServicesHealth {
  bool healthy = true;
  std::string json;  // the body, a JSON object
};

struct SystemRoutes {
  std::string openapi_json;
  // Called on every GET /metrics, on an I/O thread; must be quick.
  std::function<std::string()> metrics_text;
  // Called on every GET /health/services, on an I/O thread; must be quick.
  std::function<ServicesHealth()> services_health;
};

void AddSystemRoutes(Router& router, SystemRoutes routes);

}  // namespace stockpile::api

#endif  // STOCKPILE_API_SYSTEM_ROUTES_H_
