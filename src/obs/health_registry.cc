#include "obs/health_registry.h"

#include <algorithm>
#include <exception>
#include <utility>

namespace stockpile::obs {

std::string_view HealthStateName(HealthState state) {
  switch (state) {
    case HealthState::kUp:
      return "up";
    case HealthState::kDegraded:
      return "degraded";
    case HealthState::kDown:
      return "down";
  }
  return "down";
}

core::Result<CallbackRegistration> HealthRegistry::Register(std::string name,
                                                            HealthCheck check) {
  if (name.empty())
    return core::InvalidArgumentError("health check without a name");
  if (!check) {
    return core::InvalidArgumentError("health check '" + name + "' is empty");
  }
  auto gate = std::make_shared<CallbackGate>();
  std::lock_guard<std::mutex> lock(mu_);
  std::erase_if(entries_,
                [](const auto& entry) { return entry.second->gate->closed(); });
  if (entries_.find(name) != entries_.end()) {
    return core::AlreadyExistsError("health check '" + name +
                                    "' is already registered");
  }
  entries_.emplace(std::move(name), std::make_shared<const Entry>(
                                        Entry{gate, std::move(check)}));
  return CallbackRegistration(std::move(gate));
}

HealthSnapshot HealthRegistry::Snapshot() const {
  std::vector<std::pair<std::string, std::shared_ptr<const Entry>>> entries;
  {
    std::lock_guard<std::mutex> lock(mu_);
    entries.assign(entries_.begin(), entries_.end());
  }
  HealthSnapshot snapshot;
  for (auto& [name, entry_ptr] : entries) {
    const Entry& entry = *entry_ptr;
    HealthReport report;
    bool ran = false;
    try {
      ran = entry.gate->RunIfOpen([&] { report = entry.check(); });
    } catch (const std::exception& e) {
      ran = true;
      report = HealthReport{HealthState::kDown, {{"error", e.what()}}};
    }
    if (!ran) continue;
    snapshot.overall = std::max(snapshot.overall, report.state);
    snapshot.components.push_back({std::move(name), std::move(report)});
  }
  return snapshot;
}

boost::json::object HealthSnapshotToJson(const HealthSnapshot& snapshot) {
  boost::json::object components;
  for (const ComponentHealth& c : snapshot.components) {
    boost::json::object o;
    o["status"] = HealthStateName(c.report.state);
    for (const auto& kv : c.report.detail) {
      if (kv.key() != "status") o[kv.key()] = kv.value();
    }
    components[c.name] = std::move(o);
  }
  boost::json::object out;
  out["status"] = HealthStateName(snapshot.overall);
  out["components"] = std::move(components);
  return out;
}

}  // namespace stockpile::obs
