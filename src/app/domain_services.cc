#include "app/domain_services.h"

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <utility>

#include "core/check.h"
#include "core/status_macros.h"
#include "core/topic_pattern.h"
#include "domain/billing/payment_ingest_subscription.h"
#include "domain/common/read_model_rebuild.h"
#include "domain/inventory/integration_subscription.h"
#include "domain/inventory/inventory_subscriptions.h"
#include "domain/inventory/purchase_receipts.h"
#include "domain/purchasing/purchasing_subscriptions.h"
#include "runtime/in_memory_checkpoint_store.h"
#include "runtime/in_memory_dead_letter_store.h"
#include "runtime/in_memory_inbox_store.h"
#include "runtime/in_memory_saga_store.h"
#include "runtime/in_memory_transaction.h"
#include "runtime/postgres_consumer_stores.h"
#include "runtime/sqlite_consumer_stores.h"
#include "store/sqlite_event_store.h"

namespace stockpile::app {

DomainServices::DomainServices(store::EventStore& store,
                               const core::Clock& clock, obs::Logger log)
    : store_(store),
      clock_(clock),
      log_(std::move(log)),
      ids_(clock),
      source_(store) {}

DomainServices::~DomainServices() { Stop(); }

core::Result<std::unique_ptr<DomainServices>> DomainServices::Start(
    store::EventStore& store, const core::Clock& clock, obs::Logger log,
    obs::HealthRegistry& health, const DomainServicesOptions& options) {
  RETURN_IF_ERROR(options.services.Validate());
  std::unique_ptr<DomainServices> s(
      new DomainServices(store, clock, std::move(log)));
  DomainServices* self = s.get();
  s->options_ = options;
  s->deps_ = domain::common::DomainDeps{
      .store = &store, .ids = &s->ids_, .clock = &clock};
  s->tenant_settings_ =
      std::make_unique<domain::tenant::TenantSettingsService>(s->deps_);
  s->deps_.enricher = s->tenant_settings_.get();
  s->catalog_ = std::make_unique<domain::catalog::CatalogService>(s->deps_);
  if (s->Runs(Service::kCatalog)) {
    s->catalog_reader_ = s->catalog_.get();
  } else {
    s->catalog_replica_ = std::make_unique<domain::catalog::CatalogReplica>(
        s->product_list_, [self] { self->CatchUpReadModels(); });
    s->catalog_reader_ = s->catalog_replica_.get();
  }
  const domain::catalog::CatalogReader& catalog = *s->catalog_reader_;
  s->inventory_ =
      std::make_unique<domain::inventory::InventoryService>(s->deps_, catalog);
  s->reservations_ = std::make_unique<domain::inventory::ReservationService>(
      s->deps_, catalog);
  s->orders_ =
      std::make_unique<domain::orders::OrderService>(s->deps_, catalog);
  s->billing_ = std::make_unique<domain::billing::BillingService>(s->deps_);
  s->users_ = std::make_unique<domain::users::UserService>(
      s->deps_, options.password_cost);
  s->integrations_ = std::make_unique<domain::integrations::IntegrationService>(
      s->deps_, catalog);
  s->forecasts_ = std::make_unique<domain::forecasting::ForecastService>(
      s->deps_, catalog, s->demand_history_, s->tenant_settings_.get());
  s->alerts_ = std::make_unique<domain::notifications::AlertService>(
      s->deps_, s->log_.Named("alerts"));
  s->webhooks_ = std::make_unique<domain::notifications::WebhookService>(
      s->deps_, s->webhook_list_,
      domain::notifications::WebhookOptions{
          .key_material = options.secret_key_material,
          .http = options.webhook_http});
  // Purchasing runs beside the catalog and inventory (ServiceSet::Validate).
  s->purchase_orders_ =
      std::make_unique<domain::purchasing::PurchaseOrderService>(
          s->deps_, *s->catalog_, s->tenant_settings_.get());
  s->replenishment_ =
      std::make_unique<domain::purchasing::ReplenishmentService>(
          s->deps_, *s->catalog_, *s->inventory_, *s->purchase_orders_,
          &s->purchase_order_list_,
          domain::purchasing::DemandSources{
              .history = &s->demand_history_,
              .calendars = s->tenant_settings_.get()});

  // What each service reads besides its consumers' events.
  const std::vector<std::string> catalog_reads = {"catalog.product.#",
                                                  "catalog.location.#"};
  for (Service service : AllServices()) {
    s->needs_[service].push_back("tenant.settings.updated");  // enrichment
  }
  for (Service service : {Service::kInventory, Service::kOrders,
                          Service::kIntegrations, Service::kForecasting}) {
    auto& needs = s->needs_[service];
    needs.insert(needs.end(), catalog_reads.begin(), catalog_reads.end());
  }
  for (const char* demand :
       {"inventory.stock.committed", "sales.sale.completed",
        "inventory.stock.adjusted"}) {
    s->needs_[Service::kForecasting].push_back(demand);  // DemandHistory
  }
  s->needs_[Service::kAnalytics].push_back("#");

  if (options.metrics != nullptr) {
    ASSIGN_OR_RETURN(s->appended_,
                     options.metrics->AddCounter(
                         "stockpile_events_appended_total",
                         "Events appended to this process's log since it "
                         "started, by type",
                         {"type"}));
    ASSIGN_OR_RETURN(s->appended_after_, store.HeadPosition());
  }
  RETURN_IF_ERROR(s->StartReadModels());
  RETURN_IF_ERROR(s->OpenConsumerStores());
  RETURN_IF_ERROR(s->StartConsumer(
      Service::kInventory,
      domain::inventory::ReservationSubscription(*s->reservations_), health));
  ASSIGN_OR_RETURN(
      s->order_saga_,
      runtime::Saga::Create(
          domain::orders::OrderSaga(*s->orders_, options.order_saga),
          runtime::SagaDeps{.events = &store,
                            .sagas = s->sagas_.get(),
                            .transactions = s->transactions_.get(),
                            .clock = &clock,
                            .timer_poll = options.saga_timer_poll}));
  RETURN_IF_ERROR(s->StartConsumer(Service::kOrders,
                                   s->order_saga_->Subscription(), health));
  if (s->Runs(Service::kOrders)) {
    s->order_saga_->Start();
    RETURN_IF_ERROR(s->ObserveSaga(*s->order_saga_, health));
  }
  RETURN_IF_ERROR(s->StartConsumer(
      Service::kBilling, domain::billing::BillingSubscription(*s->billing_),
      health));
  RETURN_IF_ERROR(s->StartConsumer(
      Service::kInventory,
      domain::inventory::IntegrationStockSubscription(*s->inventory_), health));
  RETURN_IF_ERROR(s->StartConsumer(
      Service::kBilling,
      domain::billing::PaymentIngestSubscription(*s->billing_), health));
  RETURN_IF_ERROR(s->StartConsumer(
      Service::kNotifications,
      domain::notifications::AlertSubscription(*s->alerts_), health));
  RETURN_IF_ERROR(s->StartConsumer(
      Service::kNotifications,
      domain::notifications::WebhookDispatchSubscription(*s->webhooks_),
      health));
  RETURN_IF_ERROR(s->StartConsumer(
      Service::kNotifications,
      domain::notifications::WebhookDeliverySubscription(*s->webhooks_),
      health));
  if (options.email) {
    s->email_ = std::make_unique<domain::notifications::EmailChannel>(
        s->deps_, *options.email);
    RETURN_IF_ERROR(s->StartConsumer(
        Service::kNotifications,
        domain::notifications::EmailSubscription(*s->email_), health));
  }
  RETURN_IF_ERROR(s->StartConsumer(
      Service::kPurchasing,
      domain::purchasing::ReplenishmentSubscription(*s->replenishment_),
      health));
  RETURN_IF_ERROR(s->StartConsumer(
      Service::kInventory,
      domain::inventory::PurchaseReceiptSubscription(*s->inventory_), health));
  if (options.replenishment_review.count() > 0 &&
      s->Runs(Service::kPurchasing)) {
    s->review_ = std::make_unique<domain::purchasing::PeriodicReview>(
        options.replenishment_review,
        [self] { return self->replenishment_->ReviewAll(self->rule_list_); },
        [self](const core::Status& st) {
          self->log_.Warn("replenishment review failed",
                          {{"error", st.ToString()}});
        });
  }
  return s;
}

std::vector<std::string> DomainServices::OwnedPatterns() const {
  std::vector<std::string> owned;
  for (Service service : options_.services.services()) {
    const auto& patterns = app::OwnedPatterns(service);
    owned.insert(owned.end(), patterns.begin(), patterns.end());
  }
  return owned;
}

std::vector<transport::QueueSpec> DomainServices::Topology() const {
  std::vector<transport::QueueSpec> queues;
  if (options_.services.all()) return queues;
  std::vector<core::TopicPattern> owned;
  for (const std::string& p : OwnedPatterns()) {
    core::Result<core::TopicPattern> parsed = core::TopicPattern::Parse(p);
    CHECK(parsed.ok()) << p;
    owned.push_back(*std::move(parsed));
  }
  // A needed pattern that one of our own patterns covers would only bring
  // back what this process appended itself.
  auto ours = [&](const std::string& pattern) {
    return std::any_of(owned.begin(), owned.end(),
                       [&](const auto& o) { return o.Matches(pattern); });
  };
  for (Service service : options_.services.services()) {
    transport::QueueSpec queue{.name = std::string(ServiceName(service))};
    auto it = needs_.find(service);
    if (it == needs_.end()) continue;
    for (const std::string& pattern : it->second) {
      if (ours(pattern)) continue;
      if (std::find(queue.bindings.begin(), queue.bindings.end(), pattern) ==
          queue.bindings.end()) {
        queue.bindings.push_back(pattern);
      }
    }
    if (!queue.bindings.empty()) queues.push_back(std::move(queue));
  }
  return queues;
}

void DomainServices::CatchUpReadModels() {
  core::Result<int64_t> head = store_.HeadPosition();
  if (!head.ok() || read_models_ == nullptr) return;
  read_models_->WaitFor(*head, std::chrono::seconds(5));
}

void DomainServices::Stop() {
  if (order_saga_ != nullptr) order_saga_->Stop();
  review_.reset();
  for (auto& consumer : consumers_) consumer->Stop();
  registrations_.clear();
  consumers_.clear();
  order_saga_.reset();
  if (read_model_registry_) read_model_registry_->Stop();
  read_models_.reset();
  figures_.reset();
  if (order_list_ != nullptr) order_list_->Stop();
  if (!temporary_views_.empty()) {
    order_list_.reset();
    std::error_code ec;
    std::filesystem::remove_all(temporary_views_, ec);  // best effort
    temporary_views_.clear();
  }
}

core::Status DomainServices::OpenConsumerStores() {
  if (auto* sqlite = dynamic_cast<store::SqliteEventStore*>(&store_)) {
    ASSIGN_OR_RETURN(runtime::SqliteConsumerStores s,
                     runtime::OpenSqliteConsumerStores(*sqlite));
    transactions_ = std::move(s.transactions);
    checkpoints_ = std::move(s.checkpoints);
    inbox_ = std::move(s.inbox);
    dead_letters_ = std::move(s.dead_letters);
    sagas_ = std::move(s.sagas);
    return core::Status::Ok();
  }
  if (!options_.postgres_url.empty()) {
    core::Result<runtime::PostgresConsumerStores> s =
        runtime::OpenPostgresConsumerStores(options_.postgres_url);
    if (!s.ok()) return s.status().WithContext("opening the consumer stores");
    transactions_ = std::move(s->transactions);
    checkpoints_ = std::move(s->checkpoints);
    inbox_ = std::move(s->inbox);
    dead_letters_ = std::move(s->dead_letters);
    sagas_ = std::move(s->sagas);
    return core::Status::Ok();
  }
  log_.Warn(
      "consumer checkpoints are kept in memory for this store; every start "
      "replays the subscriptions from the beginning of the log");
  transactions_ = std::make_unique<runtime::InMemoryTransactionRunner>();
  checkpoints_ = std::make_unique<runtime::InMemoryCheckpointStore>();
  inbox_ = std::make_unique<runtime::InMemoryInboxStore>();
  dead_letters_ = std::make_unique<runtime::InMemoryDeadLetterStore>();
  sagas_ = std::make_unique<runtime::InMemorySagaStore>();
  return core::Status::Ok();
}

void DomainServices::ApplyToReadModels(const core::Event& e) {
  const std::string_view type = e.event_type;
  if (type.starts_with("catalog.product.")) {
    product_list_.Apply(e, e.aggregate_id);
  } else if (type.starts_with("catalog.supplier.")) {
    supplier_list_.Apply(e, e.aggregate_id);
  } else if (type.starts_with("catalog.location.")) {
    if (catalog_replica_ != nullptr) catalog_replica_->Apply(e);
  } else if (type == domain::users::kUserRegistered ||
             type == domain::users::kUserUpdated) {
    user_list_.Apply(e, e.aggregate_id);  // never sees a password hash
  } else if (type == domain::tenant::kTenantSettingsUpdated) {
    tenant_settings_->Apply(e);  // also another process's update
  } else if (type.starts_with("notification.alert.")) {
    alert_list_.Apply(e, e.aggregate_id);
  } else if (type.starts_with("notification.webhook.")) {
    webhook_list_.Apply(e, e.aggregate_id);
  } else if (type.starts_with("purchasing.order.")) {
    purchase_order_list_.Apply(e, e.aggregate_id);
  } else if (type == domain::purchasing::kDocumentUploaded) {
    purchase_order_list_.Apply(e,
                               std::string(e.PayloadString("purchaseOrderId")));
  } else if (type == domain::purchasing::kRuleSet ||
             type == domain::purchasing::kReplenishmentTriggered) {
    rule_list_.Apply(e, e.aggregate_id);
  }
}

core::Status DomainServices::StartReadModels() {
  read_model_registry_ =
      std::make_unique<runtime::ReadModelRegistry>(store_, clock_);
  using domain::common::RegisterKeyedView;
  RegisterKeyedView(*read_model_registry_, store_, "products",
                    {"catalog.product.*"}, product_list_);
  RegisterKeyedView(*read_model_registry_, store_, "suppliers",
                    {"catalog.supplier.*"}, supplier_list_);
  std::string views = options_.views_directory;
  if (views.empty()) {
    std::error_code ec;
    std::string pattern =
        (std::filesystem::temp_directory_path(ec) / "stockpile-views-XXXXXX")
            .string();
    if (ec || ::mkdtemp(pattern.data()) == nullptr) {
      return core::UnavailableError(
          "cannot create a temporary directory for the read models");
    }
    temporary_views_ = views = pattern;
  }
  ASSIGN_OR_RETURN(order_list_,
                   domain::orders::OrderList::Open(views, store_, clock_));
  RETURN_IF_ERROR(order_list_->Start());
  read_model_registry_->Add(order_list_->RegistryEntry());
  RegisterKeyedView(*read_model_registry_, store_, "users",
                    {"user.registered", "user.updated"}, user_list_);
  ASSIGN_OR_RETURN(
      read_models_,
      store_.SubscribeAll(
          0,
          store::ReadFilter::AllTenants(
              {"catalog.product.*", "catalog.supplier.*", "catalog.location.*",
               "user.registered", "user.updated", "tenant.settings.updated",
               "notification.alert.*", "notification.webhook.*",
               "purchasing.order.*", "document.uploaded", "replenishment.#"}),
          [this](const core::EventPtr& e) {
            ApplyToReadModels(*e);
            return core::Status::Ok();
          }));
  ASSIGN_OR_RETURN(
      figures_,
      store_.SubscribeAll(
          0, store::ReadFilter::AllTenants({"#"}),
          [this](const core::EventPtr& e) {
            demand_history_.Apply(*e);
            analytics_.Apply(*e);
            if (appended_ != nullptr && e->position > appended_after_) {
              appended_->WithLabels({e->event_type}).Increment();
            }
            return core::Status::Ok();
          }));
  return core::Status::Ok();
}

core::Status DomainServices::StartConsumer(Service owner,
                                           runtime::ConsumerOptions options,
                                           obs::HealthRegistry& health) {
  auto& needs = needs_[owner];
  needs.insert(needs.end(), options.type_patterns.begin(),
               options.type_patterns.end());
  if (!Runs(owner)) return core::Status::Ok();
  options.workers = options_.workers;
  options.retry = options_.retry;
  const std::string name = options.name;
  runtime::ConsumerDeps deps{.source = &source_,
                             .transactions = transactions_.get(),
                             .checkpoints = checkpoints_.get(),
                             .inbox = inbox_.get(),
                             .dead_letters = dead_letters_.get(),
                             .clock = &clock_};
  core::Result<std::unique_ptr<runtime::Consumer>> consumer =
      runtime::Consumer::Start(std::move(options), deps);
  if (!consumer.ok()) {
    return consumer.status().WithContext("starting subscription " + name);
  }
  runtime::Consumer* c = consumer->get();
  consumers_.push_back(std::move(consumer).value());
  ASSIGN_OR_RETURN(
      obs::CallbackRegistration registration,
      health.Register("subscription:" + name, [c] {
        runtime::ConsumerStats stats = c->Stats();
        obs::HealthReport report;
        const bool healthy = stats.state == runtime::ConsumerState::kRunning ||
                             stats.state == runtime::ConsumerState::kPaused;
        report.state =
            healthy ? obs::HealthState::kUp : obs::HealthState::kDown;
        report.detail["state"] = runtime::ConsumerStateName(stats.state);
        report.detail["position"] = stats.position;
        report.detail["lag"] = stats.lag_events;
        report.detail["processed"] = stats.processed;
        report.detail["retried"] = stats.retried;
        report.detail["parked"] = stats.parked;
        if (!stats.last_error.empty()) {
          report.detail["lastError"] = stats.last_error;
        }
        return report;
      }));
  registrations_.push_back(std::move(registration));
  using obs::MetricType;
  RETURN_IF_ERROR(AddSeries(
      MetricType::kGauge, "stockpile_subscription_lag_events",
      "Events in the log a subscription has not finished", "subscription", name,
      [c] { return static_cast<double>(c->Stats().lag_events); }));
  runtime::DeadLetterStore* dead_letters = dead_letters_.get();
  RETURN_IF_ERROR(AddSeries(
      MetricType::kGauge, "stockpile_dead_letters",
      "Events parked in a subscription's dead-letter store", "subscription",
      name, [dead_letters, name] {
        core::Result<std::vector<runtime::DeadLetter>> parked =
            dead_letters->List(name);
        return parked.ok() ? static_cast<double>(parked->size()) : -1.0;
      }));
  RETURN_IF_ERROR(
      AddSeries(MetricType::kCounter, "stockpile_subscription_processed_total",
                "Events a subscription handled successfully in this process",
                "subscription", name,
                [c] { return static_cast<double>(c->Stats().processed); }));
  RETURN_IF_ERROR(AddSeries(
      MetricType::kCounter, "stockpile_subscription_retried_total",
      "Failed deliveries a subscription scheduled again", "subscription", name,
      [c] { return static_cast<double>(c->Stats().retried); }));
  return core::Status::Ok();
}

core::Status DomainServices::AddSeries(obs::MetricType type,
                                       std::string_view name,
                                       std::string_view help,
                                       const std::string& label,
                                       const std::string& value,
                                       std::function<double()> fn) {
  if (options_.metrics == nullptr) return core::Status::Ok();
  ASSIGN_OR_RETURN(obs::CallbackRegistration series,
                   options_.metrics->AddCallbackSeries(type, name, help, label,
                                                       value, std::move(fn)));
  registrations_.push_back(std::move(series));
  return core::Status::Ok();
}

core::Status DomainServices::ObserveSaga(runtime::Saga& saga,
                                         obs::HealthRegistry& health) {
  runtime::Saga* g = &saga;
  ASSIGN_OR_RETURN(obs::CallbackRegistration check,
                   health.Register("saga:" + saga.name(), [g] {
                     const runtime::SagaStats s = g->stats();
                     obs::HealthReport report;  // failures are retried
                     report.detail["steps"] = s.steps;
                     report.detail["started"] = s.started;
                     report.detail["completed"] = s.completed;
                     report.detail["timersFired"] = s.timers_fired;
                     report.detail["conflicts"] = s.conflicts;
                     report.detail["failures"] = s.failures;
                     if (!s.last_error.empty()) {
                       report.detail["lastError"] = s.last_error;
                     }
                     return report;
                   }));
  registrations_.push_back(std::move(check));
  using obs::MetricType;
  RETURN_IF_ERROR(
      AddSeries(MetricType::kCounter, "stockpile_saga_steps_total",
                "Saga steps committed (events and timers)", "saga", saga.name(),
                [g] { return static_cast<double>(g->stats().steps); }));
  RETURN_IF_ERROR(
      AddSeries(MetricType::kCounter, "stockpile_saga_timers_fired_total",
                "Saga timers that fired", "saga", saga.name(),
                [g] { return static_cast<double>(g->stats().timers_fired); }));
  return AddSeries(MetricType::kCounter, "stockpile_saga_conflicts_total",
                   "Saga steps run again after a version conflict", "saga",
                   saga.name(),
                   [g] { return static_cast<double>(g->stats().conflicts); });
}

api::CatalogApi DomainServices::catalog_api() {
  return api::CatalogApi{.service = catalog_.get(),
                         .products = &product_list_,
                         .suppliers = &supplier_list_};
}

api::InventoryApi DomainServices::inventory_api() {
  return api::InventoryApi{.service = inventory_.get()};
}

api::OrdersApi DomainServices::orders_api() {
  return api::OrdersApi{.service = orders_.get(), .orders = order_list_.get()};
}

api::BillingApi DomainServices::billing_api() {
  return api::BillingApi{.service = billing_.get()};
}

api::TenantApi DomainServices::tenant_api() {
  return api::TenantApi{.service = tenant_settings_.get()};
}

api::UsersApi DomainServices::users_api() {
  return api::UsersApi{.service = users_.get(), .users = &user_list_};
}

api::IntegrationsApi DomainServices::integrations_api() {
  return api::IntegrationsApi{.service = integrations_.get()};
}

api::ForecastApi DomainServices::forecast_api() {
  return api::ForecastApi{.service = forecasts_.get()};
}

api::AnalyticsApi DomainServices::analytics_api() {
  return api::AnalyticsApi{.view = &analytics_};
}

api::NotificationsApi DomainServices::notifications_api() {
  return api::NotificationsApi{.alerts = alerts_.get(),
                               .webhooks = webhooks_.get(),
                               .alert_list = &alert_list_,
                               .webhook_list = &webhook_list_};
}

api::PurchasingApi DomainServices::purchasing_api() {
  return api::PurchasingApi{.replenishment = replenishment_.get(),
                            .purchase_orders = purchase_orders_.get(),
                            .rules = &rule_list_,
                            .orders = &purchase_order_list_};
}

api::OperationsApi DomainServices::operations_api() {
  api::OperationsApi ops{.dead_letters = dead_letters_.get()};
  for (const auto& c : consumers_) ops.consumers.push_back(c.get());
  return ops;
}

}  // namespace stockpile::app
