// The conformance suite every EventStore backend must pass (STYLE.md: one
// suite runs against every implementation). A backend only provides a
// harness and instantiates the suite:
//
//   INSTANTIATE_TEST_SUITE_P(
//       Sqlite, EventStoreConformanceTest,
//       testing::Values(ConformanceBackend{"sqlite", [] {
//         return std::make_unique<MySqliteHarness>();
//       }}),
//       ConformanceBackendName);
//
// and links the object library stockpile_store_conformance.
//
// Thread-safety: test code; a harness is used by one test at a time.
#ifndef STOCKPILE_STORE_EVENT_STORE_CONFORMANCE_H_
#define STOCKPILE_STORE_EVENT_STORE_CONFORMANCE_H_

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/event.h"
#include "core/uuid.h"
#include "store/event_store.h"
#include "store/event_store_options.h"

namespace stockpile::store {

// Fresh, empty storage for one test (a temp directory, a new database).
class EventStoreHarness {
 public:
  virtual ~EventStoreHarness() = default;
  // Opens a store over this harness's storage. A persistent backend's store
  // sees everything earlier stores (already destroyed) wrote.
  virtual core::Result<std::unique_ptr<EventStore>> Open(
      EventStoreOptions options) = 0;
  // True when a reopened store keeps the data (not the in-memory store).
  virtual bool persistent() const = 0;
};

struct ConformanceBackend {
  std::string name;
  std::function<std::unique_ptr<EventStoreHarness>()> make_harness;
};

std::string ConformanceBackendName(
    const testing::TestParamInfo<ConformanceBackend>& info);

class EventStoreConformanceTest
    : public testing::TestWithParam<ConformanceBackend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  // (Re)opens the store with `options` (clock set to clock_).
  void Reopen(EventStoreOptions options = {});
  EventStore& store() { return *store_; }

  // A new unstored event of `tenant` with payload {"n": n}.
  core::Event NewEvent(const std::string& tenant, int64_t n = 0,
                       const std::string& type = "test.thing.happened");
  std::vector<core::Event> NewEvents(
      const std::string& tenant, int count,
      const std::string& type = "test.thing.happened");

  // The payload "n" of each event, in order.
  static std::vector<int64_t> Ns(const std::vector<core::EventPtr>& events);

  core::ManualClock clock_;
  core::UuidV7Generator ids_{clock_};
  std::unique_ptr<EventStoreHarness> harness_;
  std::unique_ptr<EventStore> store_;
};

}  // namespace stockpile::store

#endif  // STOCKPILE_STORE_EVENT_STORE_CONFORMANCE_H_
