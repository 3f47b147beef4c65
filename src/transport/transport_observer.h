// TransportObserver: makes a Transport's connection state and counters
// visible to operators — as metrics (labelled transport="<name>") and as
// the health component "transport:<name>" of /health/services.
//
//   ASSIGN_OR_RETURN(observer_, TransportObserver::Start(*transport_, "amqp",
//                                                        metrics, health));
//
// Metrics: stockpile_transport_connected (gauge, 1 when connected),
// stockpile_transport_unconfirmed (gauge),
// stockpile_transport_reconnects_total, stockpile_transport_returned_total,
// stockpile_transport_published_total. Health: up when connected, down
// otherwise (events cannot cross processes). Values are read from
// Transport::Stats() when scraped.
//
// Ownership: the transport must outlive the observer (destroy the observer
// first); destroying it withdraws the metrics' callbacks and health check.
// Thread-safety: nothing to call after Start; safe to destroy while the
// registries are being read.
#ifndef STOCKPILE_TRANSPORT_TRANSPORT_OBSERVER_H_
#define STOCKPILE_TRANSPORT_TRANSPORT_OBSERVER_H_

#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "obs/callback_gate.h"
#include "obs/health_registry.h"
#include "obs/metrics_registry.h"
#include "transport/transport.h"

namespace stockpile::transport {

class TransportObserver {
 public:
  // AlreadyExists when `name` is already observed in these registries.
  static core::Result<std::unique_ptr<TransportObserver>> Start(
      const Transport& transport, const std::string& name,
      obs::MetricsRegistry& metrics, obs::HealthRegistry& health);

 private:
  TransportObserver() = default;

  std::vector<obs::CallbackRegistration> registrations_;
};

}  // namespace stockpile::transport

#endif  // STOCKPILE_TRANSPORT_TRANSPORT_OBSERVER_H_
