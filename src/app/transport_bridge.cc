#include "app/transport_bridge.h"

#include <utility>

#include "app/serve_config.h"
#include "core/status_macros.h"
#include "transport/kafka_transport.h"
#include "transport/rabbitmq_transport.h"

namespace stockpile::app {

core::Result<std::unique_ptr<transport::Transport>> OpenTransport(
    const std::string& url, const obs::Logger& log) {
  if (url.starts_with("amqp://") || url.starts_with("amqps://")) {
    return transport::MakeRabbitMqTransport(
        {.url = url, .logger = log.Named("rabbitmq")});
  }
  if (url.starts_with("kafka://")) {
    return transport::MakeKafkaTransport(
        {.url = url, .logger = log.Named("kafka")});
  }
  return core::InvalidArgumentError("transport '" + RedactUrlPassword(url) +
                                    "': expected amqp://... or kafka://...");
}

core::Result<std::unique_ptr<TransportBridge>> TransportBridge::Start(
    TransportBridgeDeps deps) {
  std::unique_ptr<TransportBridge> b(new TransportBridge(std::move(deps)));
  const TransportBridgeDeps& d = b->deps_;
  const std::string shown = RedactUrlPassword(d.url);
  core::Result<std::unique_ptr<transport::Transport>> opened =
      OpenTransport(d.url, d.log);
  if (!opened.ok()) return opened.status().WithContext("opening " + shown);
  b->transport_ = std::move(opened).value();

  const std::vector<transport::QueueSpec> queues = d.domain->Topology();
  RETURN_IF_ERROR(b->transport_->DeclareTopology({.queues = queues})
                      .WithContext("declaring the topology on " + shown));

  std::vector<std::string> published;
  for (Service service : d.domain->services().services()) {
    const auto& patterns = PublishedPatterns(service);
    published.insert(published.end(), patterns.begin(), patterns.end());
  }
  if (!published.empty()) {
    const std::string scheme = d.url.substr(0, d.url.find(':'));
    ASSIGN_OR_RETURN(
        b->relay_,
        runtime::OutboxRelay::Create(
            // Back soon after a broker outage: at most 5 s between tries
            // (the transport reconnects on the same scale).
            {.name = "outbox:" + scheme,
             .type_patterns = published,
             .backoff = {.base_delay = std::chrono::milliseconds(100),
                         .max_delay = std::chrono::milliseconds(5000)}},
            {.store = d.store,
             .transactions = &d.domain->transactions(),
             .checkpoints = &d.domain->checkpoints(),
             .transport = b->transport_.get(),
             .clock = d.clock}));
    RETURN_IF_ERROR(b->relay_->Start());
  }
  for (const transport::QueueSpec& queue : queues) {
    core::Result<std::unique_ptr<runtime::EventImporter>> importer =
        runtime::EventImporter::Start(
            {.queue = queue.name, .skip_patterns = d.domain->OwnedPatterns()},
            {.store = d.store,
             .transport = b->transport_.get(),
             .clock = d.clock,
             .log = d.log.Named("import")});
    if (!importer.ok()) return importer.status();
    b->importers_.push_back(std::move(importer).value());
  }
  RETURN_IF_ERROR(b->Observe());
  d.log.Info("transport bridge started",
             {{"transport", shown},
              {"services", d.domain->services().ToString()},
              {"queues", static_cast<int64_t>(queues.size())}});
  return b;
}

TransportBridge::~TransportBridge() { Stop(); }

void TransportBridge::Stop() {
  registrations_.clear();
  importers_.clear();  // each stops first
  relay_.reset();
  transport_.reset();
}

core::Status TransportBridge::AddSeries(bool counter, std::string_view name,
                                        std::string_view help,
                                        const std::string& label,
                                        const std::string& value,
                                        std::function<double()> fn) {
  core::Result<obs::CallbackRegistration> series =
      deps_.metrics->AddCallbackSeries(
          counter ? obs::MetricType::kCounter : obs::MetricType::kGauge, name,
          help, label, value, std::move(fn));
  if (!series.ok()) return series.status();
  registrations_.push_back(std::move(series).value());
  return core::Status::Ok();
}

core::Status TransportBridge::Observe() {
  transport::Transport* t = transport_.get();
  const std::string scheme = deps_.url.substr(0, deps_.url.find(':'));
  ASSIGN_OR_RETURN(
      obs::CallbackRegistration transport_health,
      deps_.health->Register("transport", [t] {
        const transport::TransportStats s = t->Stats();
        obs::HealthReport report;
        report.state = s.state == transport::ConnectionState::kConnected
                           ? obs::HealthState::kUp
                           : obs::HealthState::kDown;
        report.detail["state"] = transport::ConnectionStateName(s.state);
        report.detail["reconnects"] = s.reconnects;
        report.detail["unconfirmed"] = s.unconfirmed;
        report.detail["returned"] = s.returned;
        report.detail["published"] = s.published;
        return report;
      }));
  registrations_.push_back(std::move(transport_health));

  if (relay_ != nullptr) {
    runtime::OutboxRelay* relay = relay_.get();
    ASSIGN_OR_RETURN(obs::CallbackRegistration outbox,
                     deps_.health->Register("outbox", [relay] {
                       const runtime::OutboxRelayStats s = relay->Stats();
                       obs::HealthReport report;
                       // Backing off is how the relay rides out a broker
                       // outage; it is reported, not unhealthy in itself.
                       report.detail["state"] =
                           runtime::OutboxRelayStateName(s.state);
                       report.detail["position"] = s.position;
                       report.detail["lag"] = s.lag_events;
                       report.detail["published"] = s.published;
                       if (!s.last_error.empty())
                         report.detail["lastError"] = s.last_error;
                       return report;
                     }));
    registrations_.push_back(std::move(outbox));
    RETURN_IF_ERROR(AddSeries(
        false, "stockpile_outbox_lag_events",
        "Events in the log not yet confirmed by the broker", "relay",
        relay->Stats().name,
        [relay] { return static_cast<double>(relay->Stats().lag_events); }));
  }
  RETURN_IF_ERROR(AddSeries(
      false, "stockpile_transport_connected",
      "1 while the broker connection is up", "transport", scheme, [t] {
        return t->Stats().state == transport::ConnectionState::kConnected ? 1.0
                                                                          : 0.0;
      }));
  RETURN_IF_ERROR(AddSeries(
      true, "stockpile_transport_reconnects_total",
      "Broker connections re-established after a loss", "transport", scheme,
      [t] { return static_cast<double>(t->Stats().reconnects); }));
  RETURN_IF_ERROR(AddSeries(
      false, "stockpile_transport_unconfirmed",
      "Events published and not yet confirmed by the broker", "transport",
      scheme, [t] { return static_cast<double>(t->Stats().unconfirmed); }));
  for (const auto& importer : importers_) {
    runtime::EventImporter* i = importer.get();
    const std::string queue = i->Stats().queue;
    RETURN_IF_ERROR(
        AddSeries(true, "stockpile_events_imported_total",
                  "Events imported from the broker, by queue", "queue", queue,
                  [i] { return static_cast<double>(i->Stats().imported); }));
    ASSIGN_OR_RETURN(obs::CallbackRegistration health,
                     deps_.health->Register("import:" + queue, [i] {
                       const runtime::EventImporterStats s = i->Stats();
                       obs::HealthReport report;
                       report.detail["imported"] = s.imported;
                       report.detail["skipped"] = s.skipped;
                       report.detail["deadLettered"] = s.dead_lettered;
                       report.detail["failures"] = s.failures;
                       if (!s.last_error.empty())
                         report.detail["lastError"] = s.last_error;
                       return report;
                     }));
    registrations_.push_back(std::move(health));
  }
  return core::Status::Ok();
}

}  // namespace stockpile::app
