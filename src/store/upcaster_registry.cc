#include "store/upcaster_registry.h"

#include <memory>
#include <string>

namespace stockpile::store {

namespace {
// Guards against an upcaster chain that loops by resetting the version.
constexpr int kMaxUpcastSteps = 1000;
}  // namespace

void UpcasterRegistry::Register(std::string event_type, int from_version,
                                Upcaster upcaster) {
  upcasters_[{std::move(event_type), from_version}] = std::move(upcaster);
}

core::Result<core::EventPtr> UpcasterRegistry::Upcast(
    core::EventPtr event) const {
  if (upcasters_.empty()) return event;
  std::shared_ptr<core::Event> copy;
  for (int step = 0; step < kMaxUpcastSteps; ++step) {
    const core::Event& current = copy ? *copy : *event;
    auto it = upcasters_.find(std::pair(current.event_type, current.version));
    if (it == upcasters_.end()) {
      if (copy) return core::EventPtr(std::move(copy));
      return event;
    }
    if (!copy) copy = std::make_shared<core::Event>(*event);
    const int from = copy->version;
    core::Status s = it->second(*copy);
    if (!s.ok()) {
      return core::InternalError("upcasting " + copy->event_type + " v" +
                                 std::to_string(from) + " (event " +
                                 copy->event_id + "): " + s.message());
    }
    copy->version = from + 1;
  }
  return core::InternalError("upcaster chain for " + event->event_type +
                             " does not terminate");
}

core::Status UpcasterRegistry::UpcastAll(
    std::vector<core::EventPtr>& events) const {
  if (upcasters_.empty()) return core::Status::Ok();
  for (core::EventPtr& e : events) {
    core::Result<core::EventPtr> up = Upcast(e);
    if (!up.ok()) return up.status();
    e = std::move(up).value();
  }
  return core::Status::Ok();
}

}  // namespace stockpile::store
