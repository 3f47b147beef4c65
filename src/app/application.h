// Application: the composition root of a running Stockpile process. It owns
// every long-lived component as a unique_ptr member, starts them in
// dependency order and stops them in reverse (Redpanda application.h):
//
//   logs, metrics, health -> event store -> domain services (read models,
//   consumers) -> transport bridge (outbox relay, importers; only with a
//   broker) -> routes + auth -> HTTP server
//
// Where an event goes from here: src/api handlers -> domain command ->
// EventStore::Append -> subscriptions (read models, consumers, SSE) — see
// app/domain_services.h and docs/architecture.md.
//
//   auto app = Application::Start(config, clock);
//   ... wait for SIGTERM ...
//   (*app)->Stop();
//
// Thread-safety: Start and Stop are called from one thread; everything the
// application owns is safe for its own concurrent use.
#ifndef STOCKPILE_APP_APPLICATION_H_
#define STOCKPILE_APP_APPLICATION_H_

#include <chrono>
#include <memory>
#include <string>

#include "api/dispatcher.h"
#include "api/http_metrics.h"
#include "api/http_server.h"
#include "api/idempotency_cache.h"
#include "api/jwt_signer.h"
#include "api/jwt_verifier.h"
#include "api/router.h"
#include "app/domain_services.h"
#include "app/serve_config.h"
#include "app/transport_bridge.h"
#include "core/clock.h"
#include "core/result.h"
#include "obs/health_registry.h"
#include "obs/logger.h"
#include "obs/metrics_registry.h"
#include "store/event_store.h"

namespace stockpile::app {

class Application {
 public:
  // `clock` must outlive the application. `openapi_json` is served at
  // /openapi.json. The JWT secret comes from `env` or the data directory.
  static core::Result<std::unique_ptr<Application>> Start(
      const ServeConfig& config, const Environment& env,
      const core::Clock& clock, std::string openapi_json);

  ~Application();
  Application(const Application&) = delete;
  Application& operator=(const Application&) = delete;

  // Stops accepting requests, lets in-flight ones finish within `grace`,
  // then closes the store (every acknowledged event is already durable).
  // Idempotent.
  void Stop(std::chrono::milliseconds grace = std::chrono::seconds(10));

  uint16_t http_port() const { return server_->port(); }
  store::EventStore& store() { return *store_; }
  DomainServices& domain() { return *domain_; }
  // Null unless a broker transport is configured.
  TransportBridge* bridge() { return bridge_.get(); }
  const obs::Logger& log() const { return log_; }

 private:
  Application(const ServeConfig& config, const core::Clock& clock,
              obs::Logger log);

  // Immutable after construction.
  const ServeConfig config_;
  const core::Clock& clock_;
  obs::Logger log_;

  // Owned components, in start order; destroyed in reverse.
  std::unique_ptr<obs::MetricsRegistry> metrics_;
  std::unique_ptr<obs::HealthRegistry> health_;
  std::unique_ptr<store::EventStore> store_;
  std::unique_ptr<DomainServices> domain_;
  std::unique_ptr<TransportBridge> bridge_;  // only with a broker transport
  std::unique_ptr<api::IdempotencyCache> idempotency_;
  std::unique_ptr<api::JwtVerifier> verifier_;
  std::unique_ptr<api::JwtSigner> signer_;  // login tokens
  std::unique_ptr<api::HttpMetrics> http_metrics_;
  std::unique_ptr<api::Router> router_;
  std::unique_ptr<api::Dispatcher> dispatcher_;
  std::unique_ptr<api::HttpServer> server_;
  std::vector<obs::CallbackRegistration> registrations_;
  bool stopped_ = false;
};

// Opens the event store named by `config.store` ("sqlite": the file
// <data-dir>/events.db).
core::Result<std::unique_ptr<store::EventStore>> OpenEventStore(
    const ServeConfig& config, const core::Clock& clock);

}  // namespace stockpile::app

#endif  // STOCKPILE_APP_APPLICATION_H_
