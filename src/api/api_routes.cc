#include "api/api_routes.h"

#include <utility>

#include "api/events_routes.h"
#include "api/static_routes.h"

namespace stockpile::api {

void AddApiRoutes(Router& router, ApiRoutesConfig config) {
  AddSystemRoutes(router, std::move(config.system));
  AddStaticRoutes(router, DashboardAssets());
  if (config.events != nullptr) AddEventRoutes(router, *config.events);
}

}  // namespace stockpile::api
