// HealthRegistry: the components of a process (store, transport, every
// subscription, ...) each register a check; Snapshot() runs them all and is
// what GET /health/services renders.
//
//   ASSIGN_OR_RETURN(health_registration_,
//                    health.Register("subscription:orders", [this] {
//                      return HealthReport{Stalled() ? HealthState::kDown
//                                                    : HealthState::kUp,
//                                          {{"lag", Lag()}}};
//                    }));
//   HealthSnapshot s = health.Snapshot();  // s.overall: the worst state
//
// A check must be quick (it runs on the request that asks) and must not
// release its own registration. A check that throws reports kDown with the
// exception's message. Releasing the registration (or destroying it) waits
// for a running check to finish, after which the check never runs again.
//
// The Application owns the registry; registrations may outlive it.
// Thread-safety: safe for concurrent use; checks run outside the registry's
// lock, possibly on several threads at once.
#ifndef STOCKPILE_OBS_HEALTH_REGISTRY_H_
#define STOCKPILE_OBS_HEALTH_REGISTRY_H_

#include <boost/json/object.hpp>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "obs/callback_gate.h"

namespace stockpile::obs {

// Ordered from best to worst.
enum class HealthState { kUp, kDegraded, kDown };

// "up", "degraded", "down".
std::string_view HealthStateName(HealthState state);

struct HealthReport {
  HealthState state = HealthState::kUp;
  boost::json::object detail;  // e.g. {"lag": 12, "state": "running"}
};

using HealthCheck = std::function<HealthReport()>;

struct ComponentHealth {
  std::string name;
  HealthReport report;
};

struct HealthSnapshot {
  HealthState overall = HealthState::kUp;   // worst of the components
  std::vector<ComponentHealth> components;  // ordered by name
};

class HealthRegistry {
 public:
  HealthRegistry() = default;
  HealthRegistry(const HealthRegistry&) = delete;
  HealthRegistry& operator=(const HealthRegistry&) = delete;

  // InvalidArgument for an empty name or check; AlreadyExists when a live
  // registration has this name.
  core::Result<CallbackRegistration> Register(std::string name,
                                              HealthCheck check);

  HealthSnapshot Snapshot() const;

 private:
  struct Entry {
    std::shared_ptr<CallbackGate> gate;
    HealthCheck check;
  };

  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<const Entry>, std::less<>>
      entries_;  // guarded by mu_; closed ones pruned on Register
};

// {"status": "up", "components": {"<name>": {"status": "up", ...detail}}}
boost::json::object HealthSnapshotToJson(const HealthSnapshot& snapshot);

}  // namespace stockpile::obs

#endif  // STOCKPILE_OBS_HEALTH_REGISTRY_H_
