#include "app/application.h"

#include <boost/json/serialize.hpp>
#include <filesystem>
#include <utility>

#include "api/api_routes.h"
#include "app/jwt_secret.h"
#include "core/status_macros.h"
#include "obs/log_sink.h"
#include "obs/prometheus_text.h"
#include "store/in_memory_event_store.h"
#include "store/postgres_event_store.h"
#include "store/sqlite_event_store.h"

namespace stockpile::app {

core::Result<std::unique_ptr<store::EventStore>> OpenEventStore(
    const ServeConfig& config, const core::Clock& clock) {
  store::EventStoreOptions options;
  options.clock = &clock;
  if (config.store == "memory") {
    return store::MakeInMemoryEventStore(std::move(options));
  }
  if (config.store == "sqlite") {
    std::error_code ec;
    std::filesystem::create_directories(config.data_dir, ec);
    if (ec) {
      return core::UnavailableError("cannot create data directory " +
                                    config.data_dir + ": " + ec.message());
    }
    const std::string path =
        (std::filesystem::path(config.data_dir) / "events.db").string();
    ASSIGN_OR_RETURN(std::unique_ptr<store::SqliteEventStore> sqlite,
                     store::SqliteEventStore::Open(path, std::move(options)));
    return std::unique_ptr<store::EventStore>(std::move(sqlite));
  }
  return store::MakePostgresEventStore(config.store, std::move(options));
}

Application::Application(const ServeConfig& config, const core::Clock& clock,
                         obs::Logger log)
    : config_(config), clock_(clock), log_(std::move(log)) {}

Application::~Application() { Stop(); }

core::Result<std::unique_ptr<Application>> Application::Start(
    const ServeConfig& config, const Environment& env, const core::Clock& clock,
    std::string openapi_json) {
  ASSIGN_OR_RETURN(obs::LogLevel level, obs::ParseLogLevel(config.log_level));
  obs::Logger root(obs::MakeStderrLogSink(), clock, level, "stockpile");
  std::unique_ptr<Application> app(new Application(config, clock, root));

  app->metrics_ = std::make_unique<obs::MetricsRegistry>();
  app->health_ = std::make_unique<obs::HealthRegistry>();

  core::Result<std::unique_ptr<store::EventStore>> store =
      OpenEventStore(config, clock);
  if (!store.ok()) return store.status().WithContext("opening the event store");
  app->store_ = std::move(store).value();
  store::EventStore* store_ptr = app->store_.get();
  ASSIGN_OR_RETURN(obs::CallbackRegistration store_health,
                   app->health_->Register("store", [store_ptr] {
                     core::Result<int64_t> head = store_ptr->HeadPosition();
                     obs::HealthReport report;
                     if (head.ok()) {
                       report.detail["headPosition"] = *head;
                     } else {
                       report.state = obs::HealthState::kDown;
                       report.detail["error"] = head.status().ToString();
                     }
                     return report;
                   }));
  app->registrations_.push_back(std::move(store_health));

  ASSIGN_OR_RETURN(std::string secret,
                   LoadJwtSecret(config.data_dir, env, /*create=*/true));
  DomainServicesOptions domain_options;
  domain_options.secret_key_material = secret;
  domain_options.retry = config.retry;
  domain_options.services = config.services;
  domain_options.metrics = app->metrics_.get();
  if (config.store.starts_with("postgres")) {
    domain_options.postgres_url = config.store;
  }
  if (config.store != "memory") {  // a memory log starts empty every time
    domain_options.views_directory =
        (std::filesystem::path(config.data_dir) / "views").string();
  }
  if (!config.smtp_host.empty()) {
    domain::notifications::EmailOptions email;
    email.relay.host = config.smtp_host;
    email.relay.port = config.smtp_port;
    email.to = config.alert_email;
    domain_options.email = std::move(email);
  }
  core::Result<std::unique_ptr<DomainServices>> domain = DomainServices::Start(
      *store_ptr, clock, root.Named("domain"), *app->health_, domain_options);
  if (!domain.ok()) {
    return domain.status().WithContext("starting the domain services");
  }
  app->domain_ = std::move(domain).value();
  if (config.transport != "inproc") {
    ASSIGN_OR_RETURN(app->bridge_,
                     TransportBridge::Start({.url = config.transport,
                                             .store = store_ptr,
                                             .domain = app->domain_.get(),
                                             .clock = &clock,
                                             .health = app->health_.get(),
                                             .metrics = app->metrics_.get(),
                                             .log = root.Named("transport")}));
  }
  app->idempotency_ = std::make_unique<api::IdempotencyCache>(clock);

  ASSIGN_OR_RETURN(app->verifier_,
                   api::JwtVerifier::ForHs256Secret(secret, clock));
  ASSIGN_OR_RETURN(app->signer_, api::JwtSigner::ForHs256Secret(secret, clock));
  api::UsersApi users = app->domain_->users_api();
  users.signer = app->signer_.get();
  users.clock = &clock;
  ASSIGN_OR_RETURN(app->http_metrics_, api::HttpMetrics::Create(
                                           *app->metrics_, root.Named("http")));

  app->router_ = std::make_unique<api::Router>();
  obs::MetricsRegistry* metrics = app->metrics_.get();
  obs::HealthRegistry* health = app->health_.get();
  api::ApiRoutesConfig routes{
      .system = {
          .openapi_json = std::move(openapi_json),
          .metrics_text =
              [metrics] { return obs::RenderPrometheusText(*metrics); },
          .services_health =
              [health] {
                obs::HealthSnapshot s = health->Snapshot();
                return api::ServicesHealth{
                    s.overall == obs::HealthState::kUp,
                    boost::json::serialize(obs::HealthSnapshotToJson(s))};
              }},
      .events = store_ptr,
      .operations = app->domain_->operations_api(),
      .projections = &app->domain_->read_model_registry()};
  // Each process serves the routes of the services it runs (DESIGN.md §6).
  DomainServices& d = *app->domain_;
  const ServiceSet& services = config.services;
  if (services.Runs(Service::kCatalog)) routes.catalog = d.catalog_api();
  if (services.Runs(Service::kInventory)) routes.inventory = d.inventory_api();
  if (services.Runs(Service::kOrders)) routes.orders = d.orders_api();
  if (services.Runs(Service::kBilling)) routes.billing = d.billing_api();
  if (services.Runs(Service::kNotifications)) {
    routes.notifications = d.notifications_api();
  }
  if (services.Runs(Service::kForecasting)) routes.forecasts = d.forecast_api();
  if (services.Runs(Service::kAnalytics)) routes.analytics = d.analytics_api();
  if (services.Runs(Service::kTenant)) routes.tenant = d.tenant_api();
  if (services.Runs(Service::kPurchasing)) {
    routes.purchasing = d.purchasing_api();
  }
  if (services.Runs(Service::kUsers)) routes.users = users;
  if (services.Runs(Service::kIntegrations)) {
    routes.integrations = d.integrations_api();
  }
  api::AddApiRoutes(*app->router_, std::move(routes));
  app->dispatcher_ = std::make_unique<api::Dispatcher>(
      *app->router_, app->verifier_.get(), clock, app->http_metrics_.get(),
      app->idempotency_.get());

  api::HttpServerOptions http;
  http.address = config.http_host;
  http.port = config.http_port;
  core::Result<std::unique_ptr<api::HttpServer>> server =
      api::HttpServer::Start(http, *app->dispatcher_);
  if (!server.ok()) {
    return server.status().WithContext("listening on " + config.http_host +
                                       ":" + std::to_string(config.http_port));
  }
  app->server_ = std::move(server).value();
  root.Info(
      "stockpile serving",
      {{"http", config.http_host + ":" + std::to_string(app->http_port())},
       {"store", RedactUrlPassword(config.store)},
       {"transport", RedactUrlPassword(config.transport)},
       {"services", config.services.ToString()},
       {"dataDir", config.data_dir}});
  return app;
}

void Application::Stop(std::chrono::milliseconds grace) {
  if (stopped_) return;
  stopped_ = true;
  if (server_) server_->Stop(grace);
  server_.reset();
  registrations_.clear();
  bridge_.reset();  // stops importing and publishing before the consumers
  if (domain_) domain_->Stop();  // checkpoints saved before the store closes
  domain_.reset();
  store_.reset();  // joins the writer; everything acknowledged is durable
  log_.Info("stockpile stopped");
}

}  // namespace stockpile::app
