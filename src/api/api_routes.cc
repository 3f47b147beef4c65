#include "api/api_routes.h"

#include <utility>

#include "api/analytics_routes.h"
#include "api/billing_routes.h"
#include "api/catalog_routes.h"
#include "api/events_routes.h"
#include "api/forecast_routes.h"
#include "api/integration_routes.h"
#include "api/inventory_routes.h"
#include "api/notification_routes.h"
#include "api/operations_routes.h"
#include "api/order_routes.h"
#include "api/projection_routes.h"
#include "api/purchasing_routes.h"
#include "api/static_routes.h"
#include "api/tenant_routes.h"
#include "api/user_routes.h"

namespace stockpile::api {

void AddApiRoutes(Router& router, ApiRoutesConfig config) {
  AddSystemRoutes(router, std::move(config.system));
  AddStaticRoutes(router, DashboardAssets());
  if (config.events != nullptr) AddEventRoutes(router, *config.events);
  if (config.catalog) AddCatalogRoutes(router, *config.catalog);
  if (config.inventory) AddInventoryRoutes(router, *config.inventory);
  if (config.orders) AddOrderRoutes(router, *config.orders);
  if (config.billing) AddBillingRoutes(router, *config.billing);
  if (config.forecasts) AddForecastRoutes(router, *config.forecasts);
  if (config.analytics) AddAnalyticsRoutes(router, *config.analytics);
  if (config.tenant) AddTenantRoutes(router, *config.tenant);
  if (config.notifications) {
    AddNotificationRoutes(router, *config.notifications);
  }
  if (config.purchasing) AddPurchasingRoutes(router, *config.purchasing);
  if (config.operations) AddOperationsRoutes(router, *config.operations);
  if (config.users) AddUserRoutes(router, *config.users);
  if (config.projections != nullptr) {
    AddProjectionRoutes(router, *config.projections);
  }
  if (config.integrations) {
    AddIntegrationRoutes(router, *config.integrations);
  }
}

}  // namespace stockpile::api
