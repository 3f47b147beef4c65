// TransportBridge: the hops between this process's event log and a broker,
// when `serve --transport amqp://...|kafka://...` (DESIGN.md §6):
//
//   local log -> OutboxRelay ("outbox:<scheme>", the types this process's
//     services publish) -> Transport::Publish -> broker
//   broker -> one queue per service run here, bound to what it reads
//     (DomainServices::Topology) -> EventImporter -> local log
//     -> consumers and read models, as in embedded mode
//
// Each process keeps its own log (its own SQLite file or PostgreSQL
// database): its services' events plus the imported events of the others.
//
//   ASSIGN_OR_RETURN(auto bridge, TransportBridge::Start(deps));
//   ... serve ...
//   bridge->Stop();   // before the domain services and the store
//
// Observability: health checks "transport", "outbox" and "import:<queue>";
// metrics stockpile_transport_* and stockpile_outbox_lag_events.
//
// Ownership: everything in TransportBridgeDeps must outlive the bridge.
// Thread-safety: Start/Stop from one thread.
#ifndef STOCKPILE_APP_TRANSPORT_BRIDGE_H_
#define STOCKPILE_APP_TRANSPORT_BRIDGE_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "app/domain_services.h"
#include "core/clock.h"
#include "core/result.h"
#include "obs/health_registry.h"
#include "obs/logger.h"
#include "obs/metrics_registry.h"
#include "runtime/event_importer.h"
#include "runtime/outbox_relay.h"
#include "store/event_store.h"
#include "transport/transport.h"

namespace stockpile::app {

struct TransportBridgeDeps {
  std::string url;  // amqp://... or kafka://...
  store::EventStore* store = nullptr;
  DomainServices* domain = nullptr;
  const core::Clock* clock = nullptr;
  obs::HealthRegistry* health = nullptr;
  obs::MetricsRegistry* metrics = nullptr;
  obs::Logger log = obs::Logger::Discard();
};

// The transport a URL names: RabbitMQ for amqp://, Kafka for kafka://.
core::Result<std::unique_ptr<transport::Transport>> OpenTransport(
    const std::string& url, const obs::Logger& log);

class TransportBridge {
 public:
  // Connects, declares the topology, starts the relay and the importers.
  static core::Result<std::unique_ptr<TransportBridge>> Start(
      TransportBridgeDeps deps);
  // Stop().
  ~TransportBridge();
  TransportBridge(const TransportBridge&) = delete;
  TransportBridge& operator=(const TransportBridge&) = delete;

  // Stops importing, then publishing; unacked deliveries go back to the
  // broker, unpublished events stay above the relay's checkpoint.
  // Idempotent.
  void Stop();

  transport::Transport& transport() { return *transport_; }
  runtime::OutboxRelay* relay() { return relay_.get(); }

 private:
  explicit TransportBridge(TransportBridgeDeps deps) : deps_(std::move(deps)) {}
  core::Status Observe();
  // One callback series of a counter (else gauge) family `name`, labelled
  // `label`=`value`, registered until Stop().
  core::Status AddSeries(bool counter, std::string_view name,
                         std::string_view help, const std::string& label,
                         const std::string& value, std::function<double()> fn);

  const TransportBridgeDeps deps_;
  std::unique_ptr<transport::Transport> transport_;
  std::unique_ptr<runtime::OutboxRelay> relay_;
  std::vector<std::unique_ptr<runtime::EventImporter>> importers_;
  std::vector<obs::CallbackRegistration> registrations_;
};

}  // namespace stockpile::app

#endif  // STOCKPILE_APP_TRANSPORT_BRIDGE_H_
