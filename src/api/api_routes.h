// AddApiRoutes: every route Stockpile's HTTP API serves, registered in one
// place so the app, the OpenAPI check (openapi_test.cc) and the docs agree.
// Resource handlers (one file per resource: parse -> domain call -> map
// Status) are added here as the domain services land, each with its
// Permission (api/permission.h) and its entry in docs/openapi.json.
#ifndef STOCKPILE_API_API_ROUTES_H_
#define STOCKPILE_API_API_ROUTES_H_

#include <optional>

#include "api/domain_api.h"
#include "api/integration_routes.h"
#include "api/operations_routes.h"
#include "api/router.h"
#include "api/system_routes.h"
#include "api/user_routes.h"
#include "runtime/read_model_registry.h"
#include "store/event_store.h"

namespace stockpile::api {

struct ApiRoutesConfig {
  SystemRoutes system;
  // The event log routes (events_routes.h) when set; must outlive the router.
  store::EventStore* events = nullptr;
  // The business routes of the services this process runs (unset: left
  // out); see catalog_routes.h, inventory_routes.h, order_routes.h.
  std::optional<CatalogApi> catalog;
  std::optional<InventoryApi> inventory;
  std::optional<OrdersApi> orders;
  std::optional<BillingApi> billing;
  std::optional<NotificationsApi> notifications;
  std::optional<ForecastApi> forecasts;
  std::optional<AnalyticsApi> analytics;
  std::optional<TenantApi> tenant;
  std::optional<PurchasingApi> purchasing;
  std::optional<OperationsApi> operations;
  std::optional<UsersApi> users;  // user_routes.h: users and login
  std::optional<IntegrationsApi> integrations;
  // projection_routes.h, when set; must outlive the router.
  runtime::ReadModelRegistry* projections = nullptr;
};

void AddApiRoutes(Router& router, ApiRoutesConfig config);

}  // namespace stockpile::api

#endif  // STOCKPILE_API_API_ROUTES_H_
