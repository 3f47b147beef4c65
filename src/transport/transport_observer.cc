#include "transport/transport_observer.h"

#include <functional>
#include <utility>

#include "core/status_macros.h"

namespace stockpile::transport {
namespace {

// The one value of `stats` a metric reports.
using Pick = std::function<double(const TransportStats&)>;

}  // namespace

core::Result<std::unique_ptr<TransportObserver>> TransportObserver::Start(
    const Transport& transport, const std::string& name,
    obs::MetricsRegistry& metrics, obs::HealthRegistry& health) {
  std::unique_ptr<TransportObserver> observer(new TransportObserver());
  const Transport* t = &transport;
  // Registers `family`{transport=name} to report pick(Stats()).
  auto add = [&](auto* family, Pick pick) -> core::Status {
    ASSIGN_OR_RETURN(obs::CallbackRegistration r,
                     family->AddCallback({name}, [t, pick = std::move(pick)] {
                       return pick(t->Stats());
                     }));
    observer->registrations_.push_back(std::move(r));
    return core::Status::Ok();
  };
  const std::vector<std::string> labels = {"transport"};
  ASSIGN_OR_RETURN(
      obs::GaugeFamily * connected,
      metrics.AddGauge("stockpile_transport_connected",
                       "1 when the transport's connection is up", labels));
  RETURN_IF_ERROR(add(connected, [](const TransportStats& s) {
    return s.state == ConnectionState::kConnected ? 1.0 : 0.0;
  }));
  ASSIGN_OR_RETURN(
      obs::GaugeFamily * unconfirmed,
      metrics.AddGauge("stockpile_transport_unconfirmed",
                       "Events published, not yet confirmed", labels));
  RETURN_IF_ERROR(add(unconfirmed, [](const TransportStats& s) {
    return static_cast<double>(s.unconfirmed);
  }));
  struct CounterSpec {
    const char* name;
    const char* help;
    uint64_t TransportStats::*field;
  };
  for (const CounterSpec& c : {
           CounterSpec{"stockpile_transport_reconnects_total",
                       "Connections re-established after a loss",
                       &TransportStats::reconnects},
           CounterSpec{"stockpile_transport_returned_total",
                       "Published events no queue was bound to",
                       &TransportStats::returned},
           CounterSpec{"stockpile_transport_published_total",
                       "Events confirmed by the broker",
                       &TransportStats::published},
       }) {
    ASSIGN_OR_RETURN(obs::CounterFamily * family,
                     metrics.AddCounter(c.name, c.help, labels));
    RETURN_IF_ERROR(add(family, [field = c.field](const TransportStats& s) {
      return static_cast<double>(s.*field);
    }));
  }
  ASSIGN_OR_RETURN(obs::CallbackRegistration check,
                   health.Register("transport:" + name, [t] {
                     TransportStats s = t->Stats();
                     obs::HealthReport report;
                     report.state = s.state == ConnectionState::kConnected
                                        ? obs::HealthState::kUp
                                        : obs::HealthState::kDown;
                     report.detail["state"] = ConnectionStateName(s.state);
                     report.detail["reconnects"] = s.reconnects;
                     report.detail["unconfirmed"] = s.unconfirmed;
                     report.detail["returned"] = s.returned;
                     return report;
                   }));
  observer->registrations_.push_back(std::move(check));
  return observer;
}

}  // namespace stockpile::transport
