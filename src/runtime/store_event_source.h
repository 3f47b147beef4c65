// StoreEventSource: an EventSource over the local EventStore's global log,
// across all tenants (a runtime subscription, not a tenant request).
//
// Ownership: `store` must outlive this source and its subscriptions.
// Thread-safety: safe for concurrent use.
#ifndef STOCKPILE_RUNTIME_STORE_EVENT_SOURCE_H_
#define STOCKPILE_RUNTIME_STORE_EVENT_SOURCE_H_

#include "runtime/event_source.h"

namespace stockpile::runtime {

class StoreEventSource final : public EventSource {
 public:
  explicit StoreEventSource(store::EventStore& store) : store_(store) {}

  core::Result<std::unique_ptr<store::Subscription>> Subscribe(
      int64_t after_position, const std::vector<std::string>& type_patterns,
      store::EventHandler deliver) override {
    return store_.SubscribeAll(after_position,
                               store::ReadFilter::AllTenants(type_patterns),
                               std::move(deliver));
  }
  core::Result<int64_t> HeadPosition() override {
    return store_.HeadPosition();
  }

 private:
  store::EventStore& store_;
};

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_STORE_EVENT_SOURCE_H_
