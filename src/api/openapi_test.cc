// docs/openapi.json and the routes the server serves must agree: every
// route is documented with the right security and permission, and every
// documented operation is served.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <fstream>
#include <set>
#include <sstream>

#include "api/api_routes.h"
#include "core/event_codec.h"
#include "store/in_memory_event_store.h"

namespace stockpile::api {
namespace {

boost::json::object LoadOpenApi() {
  std::ifstream in(STOCKPILE_OPENAPI_JSON);
  std::ostringstream text;
  text << in.rdbuf();
  core::CodecLimits limits;
  limits.max_depth = 64;
  auto parsed = core::ParseJson(text.str(), limits);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  return parsed.ok() ? parsed->as_object() : boost::json::object();
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return s;
}

TEST(OpenApiTest, EveryServedRouteIsDocumentedAndViceVersa) {
  const boost::json::object doc = LoadOpenApi();
  ASSERT_EQ(doc.at("openapi").as_string().subview().substr(0, 3), "3.1");
  Router router;
  std::unique_ptr<store::EventStore> events = store::MakeInMemoryEventStore();
  // Every route of every service (none is called here).
  core::SystemClock clock;
  core::UuidV7Generator ids(clock);
  domain::common::DomainDeps deps{
      .store = events.get(), .ids = &ids, .clock = &clock};
  domain::catalog::CatalogService catalog(deps);
  domain::inventory::InventoryService inventory(deps, catalog);
  domain::orders::OrderService orders(deps, catalog);
  domain::billing::BillingService billing(deps);
  domain::integrations::IntegrationService integrations(deps, catalog);
  domain::tenant::TenantSettingsService tenant(deps);
  domain::common::KeyedView<domain::catalog::ProductState> products;
  domain::common::KeyedView<domain::catalog::SupplierState> suppliers;
  domain::notifications::AlertService alerts(deps, obs::Logger::Discard());
  domain::common::KeyedView<domain::notifications::AlertState> alert_list;
  domain::common::KeyedView<domain::notifications::WebhookState> webhook_list;
  domain::notifications::WebhookService webhooks(deps, webhook_list, {});
  domain::users::UserService users(deps, domain::users::MinimumPasswordCost());
  domain::common::KeyedView<domain::users::UserState> user_list;
  domain::purchasing::PurchaseOrderService purchase_orders(deps, catalog);
  domain::common::KeyedView<domain::purchasing::PurchaseOrderState> po_list;
  domain::common::KeyedView<domain::purchasing::RuleState> rules;
  domain::purchasing::ReplenishmentService replenishment(
      deps, catalog, inventory, purchase_orders, &po_list);
  domain::forecasting::DemandHistory demand;
  domain::forecasting::ForecastService forecasts(deps, catalog, demand);
  domain::analytics::AnalyticsView analytics;
  runtime::ReadModelRegistry projections(*events, clock);
  AddApiRoutes(router,
               {.events = events.get(),
                .catalog = CatalogApi{&catalog, &products, &suppliers},
                .inventory = InventoryApi{&inventory},
                .orders = OrdersApi{&orders, nullptr},
                .billing = BillingApi{&billing},
                .notifications = NotificationsApi{&alerts, &webhooks,
                                                  &alert_list, &webhook_list},
                .forecasts = ForecastApi{&forecasts},
                .analytics = AnalyticsApi{&analytics},
                .tenant = TenantApi{&tenant},
                .purchasing = PurchasingApi{&replenishment, &purchase_orders,
                                            &rules, &po_list},
                .operations = OperationsApi{},
                .users = UsersApi{&users, &user_list},
                .integrations = IntegrationsApi{&integrations},
                .projections = &projections});

  std::set<std::string> served;
  for (const RouteInfo& route : router.Routes()) {
    served.insert(Lower(route.method) + " " + route.path_template);
    const boost::json::object* path =
        doc.at("paths").as_object().if_contains(route.path_template)
            ? &doc.at("paths").at(route.path_template).as_object()
            : nullptr;
    ASSERT_NE(path, nullptr) << route.path_template << " is not documented";
    const boost::json::value* op = path->if_contains(Lower(route.method));
    ASSERT_NE(op, nullptr) << route.method << " " << route.path_template;
    const boost::json::value* security =
        op->as_object().if_contains("security");
    if (route.permission.has_value()) {
      EXPECT_TRUE(security == nullptr || !security->as_array().empty())
          << route.path_template << " needs a token but says it does not";
      const boost::json::value* permission =
          op->as_object().if_contains("x-stockpile-permission");
      ASSERT_NE(permission, nullptr) << route.path_template;
      EXPECT_EQ(permission->as_string(), PermissionName(*route.permission));
    } else {
      ASSERT_NE(security, nullptr) << route.path_template;
      EXPECT_TRUE(security->as_array().empty())
          << route.path_template << " is public but documented as secured";
    }
  }

  std::set<std::string> documented;
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    for (const auto& [method, op] : item.as_object()) {
      documented.insert(std::string(method) + " " + std::string(path));
    }
  }
  EXPECT_EQ(served, documented);
}

}  // namespace
}  // namespace stockpile::api
