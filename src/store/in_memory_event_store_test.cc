#include "store/in_memory_event_store.h"

#include <gtest/gtest.h>

#include "store/event_store_conformance.h"

namespace stockpile::store {
namespace {

class InMemoryHarness final : public EventStoreHarness {
 public:
  core::Result<std::unique_ptr<EventStore>> Open(
      EventStoreOptions options) override {
    return MakeInMemoryEventStore(std::move(options));
  }
  bool persistent() const override { return false; }
};

INSTANTIATE_TEST_SUITE_P(
    InMemory, EventStoreConformanceTest,
    testing::Values(ConformanceBackend{
        "memory", [] { return std::make_unique<InMemoryHarness>(); }}),
    ConformanceBackendName);

}  // namespace
}  // namespace stockpile::store
