// DomainServices: the business services one process runs and the
// subscriptions that connect them (DESIGN.md §4), built on one event store.
//
//   command (HTTP) -> CatalogService / InventoryService / OrderService
//     -> NewEvent + TenantSettingsService::Enrich (metadata.businessContext)
//     -> EventStore::Append
//     -> read models (products, suppliers, orders lists; KeyedView), fed
//        by a catch-up store subscription from position 0 at start
//     -> consumers (runtime::Consumer, checkpointed):
//          inventory.reservations  order.* -> ReservationService
//          orders.fulfilment       the order saga (order_saga.h):
//                                  order.created,
//                                  inventory.stock.reserved|failed,
//                                  inventory.position.backorder_filled,
//                                  payment.succeeded -> OrderService;
//                                  its durable timer rejects late orders
//          billing.bills           order.confirmed -> BillingService
//          inventory.integrations  sales.sale.completed,
//                                  integration.event.received -> Inventory
//          billing.integrations    integration.event.received -> Billing
//          purchasing.replenishment inventory.stock.low,
//                                  replenishment.triggered
//                                  -> ReplenishmentService (rule -> PO)
//          inventory.purchase-receipts purchasing.order.received
//                                  -> InventoryService::Receive
//     -> the replenishment rules' periodic review (a timer)
//     -> figures fed by a second catch-up store subscription to `#`:
//          DemandHistory (daily demand, read by ForecastService) and
//          AnalyticsView (events per hour, revenue, units sold)
//          notifications.alerts    inventory.stock.low|restored,
//                                  purchasing.order.*, payment.* -> alerts
//          notifications.webhooks.dispatch  # -> delivery requests
//          notifications.webhooks  notification.delivery.requested -> POST
//          notifications.email     notification.alert.raised -> SMTP
//                                  (only with options.email)
//
// Distributed mode (options.services not all): only the services named
// run — their consumers, timers and (in Application) routes — and events of
// the others reach this process's log through the transport (Topology(),
// runtime/event_importer.h). Without the catalog, product and location
// questions go to a CatalogReplica fed by the read-model subscription.
//
// Consumer checkpoints, inbox and dead letters live in the event store's
// own database — its SQLite file (a handler's records commit with the
// checkpoint) or its PostgreSQL database (options.postgres_url) — and in
// memory for the memory store, where every start re-runs the subscriptions
// from the beginning of the log, which the handlers absorb (a settled
// reservation or order is never redone).
//
// Ownership: borrows the store, clock, health and metrics registries, which
// must outlive it. Thread-safety: Start/Stop from one thread; the services
// and read models are safe for concurrent use.
#ifndef STOCKPILE_APP_DOMAIN_SERVICES_H_
#define STOCKPILE_APP_DOMAIN_SERVICES_H_

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/domain_api.h"
#include "api/integration_routes.h"
#include "api/operations_routes.h"
#include "api/user_routes.h"
#include "app/service_set.h"
#include "core/clock.h"
#include "core/result.h"
#include "core/uuid.h"
#include "domain/analytics/analytics_view.h"
#include "domain/billing/billing_service.h"
#include "domain/catalog/catalog_replica.h"
#include "domain/catalog/catalog_service.h"
#include "domain/catalog/supplier_state.h"
#include "domain/common/keyed_view.h"
#include "domain/forecasting/demand_history.h"
#include "domain/forecasting/forecast_service.h"
#include "domain/integrations/integration_service.h"
#include "domain/inventory/inventory_service.h"
#include "domain/inventory/reservation_service.h"
#include "domain/notifications/alert_service.h"
#include "domain/notifications/email_channel.h"
#include "domain/notifications/webhook_service.h"
#include "domain/orders/order_list.h"
#include "domain/orders/order_saga.h"
#include "domain/orders/order_service.h"
#include "domain/purchasing/periodic_review.h"
#include "domain/purchasing/purchase_order_service.h"
#include "domain/purchasing/replenishment_service.h"
#include "domain/tenant/tenant_settings_service.h"
#include "domain/users/user_service.h"
#include "obs/health_registry.h"
#include "obs/logger.h"
#include "obs/metrics_registry.h"
#include "runtime/checkpoint_store.h"
#include "runtime/consumer.h"
#include "runtime/dead_letter_store.h"
#include "runtime/inbox_store.h"
#include "runtime/read_model_registry.h"
#include "runtime/saga.h"
#include "runtime/saga_store.h"
#include "runtime/store_event_source.h"
#include "runtime/transaction.h"
#include "store/event_store.h"
#include "transport/transport.h"

namespace stockpile::app {

struct DomainServicesOptions {
  // Worker threads per consumer (different orders settle in parallel).
  // A worker mostly waits for the store's group commit, so more workers
  // mean bigger commit batches: bench/run-orders settled 205 orders/s with
  // 4 and 578/s with 32 on the loaded 2-core machine (BENCHMARKS.md).
  int workers = 32;
  runtime::RetryPolicy retry;
  // Argon2id cost of password hashes (users/password_hasher.h).
  domain::users::PasswordCost password_cost;
  // The order saga's timeout: a pending order not settled within it is
  // rejected (domain/orders/order_saga.h). Zero turns it off.
  domain::orders::OrderSagaOptions order_saga;
  // Real time between the sagas' polls for due timers.
  std::chrono::milliseconds saga_timer_poll{500};
  // Seals webhook secrets in the log (SecretBox): the JWT signing secret.
  std::string secret_key_material;
  // Timeouts of webhook POSTs.
  domain::notifications::HttpPostOptions webhook_http;
  // The email channel (consumer notifications.email) when set.
  std::optional<domain::notifications::EmailOptions> email;
  // Every rule is reviewed this often besides on inventory.stock.low;
  // 0 = only on low stock.
  std::chrono::milliseconds replenishment_review{std::chrono::minutes(5)};
  // The PostgreSQL URL of the event store, when it is one: the consumer
  // checkpoints, inbox and dead letters then live in that database.
  std::string postgres_url;
  // Where the read models kept on disk live (the orders list,
  // domain/orders/order_list.h); "" = a temporary directory of this
  // process, removed on Stop (for a log that does not outlive it).
  std::string views_directory;
  // The services this process runs (ServiceSet::Validate()d by Start).
  ServiceSet services = ServiceSet::All();
  // Where the subscriptions', sagas' and log's series go, when set:
  // stockpile_subscription_lag_events{subscription},
  // stockpile_dead_letters{subscription}, stockpile_subscription_*_total,
  // stockpile_saga_*_total{saga}, stockpile_events_appended_total{type}.
  obs::MetricsRegistry* metrics = nullptr;
};

class DomainServices {
 public:
  static core::Result<std::unique_ptr<DomainServices>> Start(
      store::EventStore& store, const core::Clock& clock, obs::Logger log,
      obs::HealthRegistry& health, const DomainServicesOptions& options = {});
  // Stop().
  ~DomainServices();
  DomainServices(const DomainServices&) = delete;
  DomainServices& operator=(const DomainServices&) = delete;

  // Stops the consumers (saving their checkpoints) and the read models'
  // subscription. Idempotent.
  void Stop();

  api::CatalogApi catalog_api();
  api::InventoryApi inventory_api();
  api::OrdersApi orders_api();
  api::BillingApi billing_api();
  api::ForecastApi forecast_api();
  api::AnalyticsApi analytics_api();
  api::TenantApi tenant_api();
  api::NotificationsApi notifications_api();
  api::PurchasingApi purchasing_api();
  api::OperationsApi operations_api();
  // The service and user list; the caller adds the signer and clock.
  api::UsersApi users_api();
  // The read models by name (GET /api/v1/projections, rebuild).
  runtime::ReadModelRegistry& read_model_registry() {
    return *read_model_registry_;
  }
  api::IntegrationsApi integrations_api();

  const ServiceSet& services() const { return options_.services; }
  // One queue per service this process runs ("inventory", ...), bound to
  // every event type its consumers and read models need, less the types
  // this process appends itself. Empty when every service runs here.
  std::vector<transport::QueueSpec> Topology() const;
  // Every type pattern this process's own services append.
  std::vector<std::string> OwnedPatterns() const;
  // The consumer stores (the outbox relay keeps its checkpoint there).
  runtime::TransactionRunner& transactions() { return *transactions_; }
  runtime::CheckpointStore& checkpoints() { return *checkpoints_; }

  domain::catalog::CatalogService& catalog() { return *catalog_; }
  domain::inventory::InventoryService& inventory() { return *inventory_; }
  domain::orders::OrderService& orders() { return *orders_; }
  domain::users::UserService& users() { return *users_; }
  domain::purchasing::ReplenishmentService& replenishment() {
    return *replenishment_;
  }
  domain::purchasing::PurchaseOrderService& purchase_orders() {
    return *purchase_orders_;
  }
  const std::vector<std::unique_ptr<runtime::Consumer>>& consumers() const {
    return consumers_;
  }

 private:
  DomainServices(store::EventStore& store, const core::Clock& clock,
                 obs::Logger log);
  core::Status OpenConsumerStores();
  core::Status StartReadModels();
  // Starts `options` when `owner` runs here; remembers its patterns for
  // the owner's queue either way.
  core::Status StartConsumer(Service owner, runtime::ConsumerOptions options,
                             obs::HealthRegistry& health);
  // A callback series in options_.metrics (a no-op without metrics).
  core::Status AddSeries(obs::MetricType type, std::string_view name,
                         std::string_view help, const std::string& label,
                         const std::string& value, std::function<double()> fn);
  // The health check and series of a running saga.
  core::Status ObserveSaga(runtime::Saga& saga, obs::HealthRegistry& health);
  bool Runs(Service s) const { return options_.services.Runs(s); }
  // Blocks (up to a few seconds) until the read models have applied every
  // event the log holds now.
  void CatchUpReadModels();
  void ApplyToReadModels(const core::Event& e);

  store::EventStore& store_;
  const core::Clock& clock_;
  obs::Logger log_;
  DomainServicesOptions options_;
  core::UuidV7Generator ids_;
  domain::common::DomainDeps deps_;

  std::unique_ptr<domain::catalog::CatalogService> catalog_;
  // Without the catalog service: its replica; catalog_reader_ is the one of
  // the two the other services ask.
  std::unique_ptr<domain::catalog::CatalogReplica> catalog_replica_;
  const domain::catalog::CatalogReader* catalog_reader_ = nullptr;
  // Type patterns each service's consumers and read models need.
  std::map<Service, std::vector<std::string>> needs_;
  std::unique_ptr<domain::inventory::InventoryService> inventory_;
  std::unique_ptr<domain::inventory::ReservationService> reservations_;
  std::unique_ptr<domain::orders::OrderService> orders_;
  std::unique_ptr<domain::billing::BillingService> billing_;
  std::unique_ptr<domain::users::UserService> users_;
  std::unique_ptr<domain::integrations::IntegrationService> integrations_;
  std::unique_ptr<domain::forecasting::ForecastService> forecasts_;
  // The tenants' calendars; every service's events pass its Enrich.
  std::unique_ptr<domain::tenant::TenantSettingsService> tenant_settings_;
  std::unique_ptr<domain::notifications::AlertService> alerts_;
  std::unique_ptr<domain::notifications::WebhookService> webhooks_;
  std::unique_ptr<domain::notifications::EmailChannel> email_;
  std::unique_ptr<domain::purchasing::PurchaseOrderService> purchase_orders_;
  std::unique_ptr<domain::purchasing::ReplenishmentService> replenishment_;

  domain::common::KeyedView<domain::catalog::ProductState> product_list_;
  domain::common::KeyedView<domain::catalog::SupplierState> supplier_list_;
  std::unique_ptr<domain::orders::OrderList> order_list_;
  std::string temporary_views_;  // removed on Stop; "" when none
  domain::common::KeyedView<domain::users::UserState> user_list_;
  domain::common::KeyedView<domain::notifications::AlertState> alert_list_;
  domain::common::KeyedView<domain::notifications::WebhookState> webhook_list_;
  domain::common::KeyedView<domain::purchasing::RuleState> rule_list_;
  domain::common::KeyedView<domain::purchasing::PurchaseOrderState>
      purchase_order_list_;
  std::unique_ptr<store::Subscription> read_models_;
  domain::forecasting::DemandHistory demand_history_;
  domain::analytics::AnalyticsView analytics_;
  std::unique_ptr<store::Subscription> figures_;  // -> the two above
  // stockpile_events_appended_total, counted by `figures_` for events past
  // the head the log had at start (null without metrics).
  obs::CounterFamily* appended_ = nullptr;
  int64_t appended_after_ = 0;
  std::unique_ptr<runtime::ReadModelRegistry> read_model_registry_;

  runtime::StoreEventSource source_;
  std::unique_ptr<runtime::TransactionRunner> transactions_;
  std::unique_ptr<runtime::CheckpointStore> checkpoints_;
  std::unique_ptr<runtime::InboxStore> inbox_;
  std::unique_ptr<runtime::DeadLetterStore> dead_letters_;
  std::unique_ptr<runtime::SagaStore> sagas_;
  std::unique_ptr<runtime::Saga> order_saga_;  // fed by consumers_
  std::vector<std::unique_ptr<runtime::Consumer>> consumers_;
  std::vector<obs::CallbackRegistration> registrations_;
  std::unique_ptr<domain::purchasing::PeriodicReview> review_;
};

}  // namespace stockpile::app

#endif  // STOCKPILE_APP_DOMAIN_SERVICES_H_
