// UpcasterRegistry: turns events stored in an old payload schema into the
// current one on every read path (DESIGN.md §2 `version`).
//
// An upcaster for (eventType, fromVersion) rewrites the payload (and may
// touch metadata) of a version-`fromVersion` event into version
// fromVersion + 1; the registry sets `version` itself and chains upcasters
// until none is registered for the event's (type, version).
//
//   UpcasterRegistry upcasters;
//   upcasters.Register("inventory.stock.adjusted", 1, [](core::Event& e) {
//     e.payload["locationId"] = "main";  // v1 had no location
//     return core::Status::Ok();
//   });
//   auto store = MakeInMemoryEventStore({.upcasters = upcasters});
//
// Thread-safety: Register() is for setup, before the registry is handed to a
// store; Upcast() is const and safe for concurrent use.
#ifndef STOCKPILE_STORE_UPCASTER_REGISTRY_H_
#define STOCKPILE_STORE_UPCASTER_REGISTRY_H_

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/event.h"
#include "core/result.h"

namespace stockpile::store {

class UpcasterRegistry {
 public:
  // Rewrites the event in place from version v to v + 1. A non-ok status
  // makes the read fail with Internal (a stored event cannot be upcast).
  using Upcaster = std::function<core::Status(core::Event& event)>;

  // Replaces any upcaster already registered for (event_type, from_version).
  void Register(std::string event_type, int from_version, Upcaster upcaster);

  bool empty() const { return upcasters_.empty(); }

  // `event` unchanged (the same pointer, no copy) when no upcaster applies,
  // otherwise a new event in the newest version reachable.
  core::Result<core::EventPtr> Upcast(core::EventPtr event) const;
  // Upcasts every element in place; the first failure is returned.
  core::Status UpcastAll(std::vector<core::EventPtr>& events) const;

 private:
  // Immutable once the registry is handed to a store.
  std::map<std::pair<std::string, int>, Upcaster, std::less<>> upcasters_;
};

}  // namespace stockpile::store

#endif  // STOCKPILE_STORE_UPCASTER_REGISTRY_H_
