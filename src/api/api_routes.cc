#include "api/api_routes.h"

#include <utility>

namespace stockpile::api {

void AddApiRoutes(Router& router, ApiRoutesConfig config) {
  AddSystemRoutes(router, std::move(config.system));
}

}  // namespace stockpile::api
