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
  api::AddApiRoutes(
      *app->router_,
      {.system = {.openapi_json = std::move(openapi_json),
                  .metrics_text =
                      [metrics] { return obs::RenderPrometheusText(*metrics); },
                  .services_health =
                      [health] {
                        obs::HealthSnapshot s = health->Snapshot();
                        return api::ServicesHealth{
                            s.overall == obs::HealthState::kUp,
                            boost::json::serialize(
                                obs::HealthSnapshotToJson(s))};
                      }},
       .events = store_ptr,
       .catalog = app->domain_->catalog_api(),
       .inventory = app->domain_->inventory_api(),
       .orders = app->domain_->orders_api(),
       .billing = app->domain_->billing_api(),
       .notifications = app->domain_->notifications_api(),
       .forecasts = app->domain_->forecast_api(),
       .analytics = app->domain_->analytics_api(),
       .tenant = app->domain_->tenant_api(),
       .purchasing = app->domain_->purchasing_api(),
       .operations = app->domain_->operations_api(),
       .users = users,
       .integrations = app->domain_->integrations_api(),
       .projections = &app->domain_->read_model_registry()});
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
       {"dataDir", config.data_dir}});
  return app;
}

void Application::Stop(std::chrono::milliseconds grace) {
  if (stopped_) return;
  stopped_ = true;
  if (server_) server_->Stop(grace);
  server_.reset();
  registrations_.clear();
  if (domain_) domain_->Stop();  // checkpoints saved before the store closes
  domain_.reset();
  store_.reset();  // joins the writer; everything acknowledged is durable
  log_.Info("stockpile stopped");
}

}  // namespace stockpile::app
