// DomainApi: the domain services and read models the business routes of
// the HTTP API call (catalog_routes.h, inventory_routes.h, order_routes.h,
// billing_routes.h, forecast_routes.h, analytics_routes.h, tenant_routes.h,
// notification_routes.h, purchasing_routes.h).
// The app fills it with the services this process runs; a null member
// leaves its routes out.
//
// Ownership: borrows everything; it must outlive the router.
#ifndef STOCKPILE_API_DOMAIN_API_H_
#define STOCKPILE_API_DOMAIN_API_H_

#include "api/request.h"
#include "domain/analytics/analytics_view.h"
#include "domain/billing/billing_service.h"
#include "domain/catalog/catalog_service.h"
#include "domain/common/command_context.h"
#include "domain/common/keyed_view.h"
#include "domain/forecasting/forecast_service.h"
#include "domain/inventory/inventory_service.h"
#include "domain/notifications/alert_service.h"
#include "domain/notifications/webhook_service.h"
#include "domain/orders/order_list.h"
#include "domain/orders/order_service.h"
#include "domain/purchasing/purchase_order_service.h"
#include "domain/purchasing/replenishment_service.h"
#include "domain/tenant/tenant_settings_service.h"

namespace stockpile::api {

struct CatalogApi {
  domain::catalog::CatalogService* service = nullptr;
  const domain::common::KeyedView<domain::catalog::ProductState>* products =
      nullptr;
  const domain::common::KeyedView<domain::catalog::SupplierState>* suppliers =
      nullptr;
};

struct InventoryApi {
  domain::inventory::InventoryService* service = nullptr;
};

struct OrdersApi {
  domain::orders::OrderService* service = nullptr;
  const domain::orders::OrderList* orders = nullptr;
};

struct BillingApi {
  domain::billing::BillingService* service = nullptr;
};

struct ForecastApi {
  domain::forecasting::ForecastService* service = nullptr;
};

struct AnalyticsApi {
  const domain::analytics::AnalyticsView* view = nullptr;
};

struct TenantApi {
  domain::tenant::TenantSettingsService* service = nullptr;
};

struct NotificationsApi {
  domain::notifications::AlertService* alerts = nullptr;
  domain::notifications::WebhookService* webhooks = nullptr;
  const domain::common::KeyedView<domain::notifications::AlertState>*
      alert_list = nullptr;
  const domain::common::KeyedView<domain::notifications::WebhookState>*
      webhook_list = nullptr;
};

struct PurchasingApi {
  domain::purchasing::ReplenishmentService* replenishment = nullptr;
  domain::purchasing::PurchaseOrderService* purchase_orders = nullptr;
  const domain::common::KeyedView<domain::purchasing::RuleState>* rules =
      nullptr;
  const domain::common::KeyedView<domain::purchasing::PurchaseOrderState>*
      orders = nullptr;
};

// The command context of an authenticated request: the caller's tenant and
// user, and the request's correlation id (every event it causes carries it).
domain::common::CommandContext CommandContextOf(const Request& request);

}  // namespace stockpile::api

#endif  // STOCKPILE_API_DOMAIN_API_H_
