// The conformance suite every persistent backend of the consumer stores
// (ConsumerStores: TransactionRunner, CheckpointStore, InboxStore,
// DeadLetterStore, SagaStore) must pass, store by store and through a Consumer.
// A backend provides a harness and instantiates the suite:
//
//   INSTANTIATE_TEST_SUITE_P(
//       Sqlite, ConsumerStoresConformanceTest,
//       testing::Values(ConsumerStoresBackend{"sqlite", [] {
//         return std::make_unique<SqliteConsumerHarness>();
//       }}),
//       ConsumerStoresBackendName);
//
// and links the object library stockpile_runtime_conformance.
//
// Thread-safety: test code; a harness is used by one test at a time.
#ifndef STOCKPILE_RUNTIME_CONSUMER_STORES_CONFORMANCE_H_
#define STOCKPILE_RUNTIME_CONSUMER_STORES_CONFORMANCE_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <utility>

#include "core/clock.h"
#include "core/result.h"
#include "core/uuid.h"
#include "runtime/consumer.h"
#include "runtime/consumer_stores.h"
#include "runtime/retry_policy.h"
#include "runtime/saga.h"
#include "runtime/store_event_source.h"
#include "store/event_store.h"

namespace stockpile::runtime {

// Fresh, empty, persistent storage for one test (a temp file, a schema).
class ConsumerStoresHarness {
 public:
  virtual ~ConsumerStoresHarness() = default;

  // Opens the event store and the consumer stores over this harness's
  // storage, with an empty table `effects` (event_id, n) beside them. After
  // Close(), a new Open() sees everything committed before.
  virtual core::Status Open() = 0;
  // Destroys what Open() made, the consumer stores first (consumers over
  // them are gone already).
  void Close() {
    stores_ = {};
    store_.reset();
  }
  store::EventStore& event_store() { return *store_; }
  ConsumerStores& stores() { return stores_; }

  // As part of `tx`: adds 1 to the effects row of `event_id`.
  virtual core::Status CountEffect(Transaction& tx,
                                   const std::string& event_id) = 0;
  // {rows, sum of n} of the effects table (committed state).
  virtual core::Result<std::pair<int64_t, int64_t>> Effects() = 0;
  // Sets every saved checkpoint to `position` behind the stores' back, as
  // after a crash between a commit and the next checkpoint.
  virtual core::Status RewindCheckpoints(int64_t position) = 0;

 protected:
  std::unique_ptr<store::EventStore> store_;  // set by Open()
  ConsumerStores stores_;                     // set by Open()
};

struct ConsumerStoresBackend {
  std::string name;
  std::function<std::unique_ptr<ConsumerStoresHarness>()> make_harness;
};

// gtest prints a failing test's parameter by its name.
inline void PrintTo(const ConsumerStoresBackend& backend, std::ostream* os) {
  *os << backend.name;
}

std::string ConsumerStoresBackendName(
    const ::testing::TestParamInfo<ConsumerStoresBackend>& info);

class ConsumerStoresConformanceTest
    : public ::testing::TestWithParam<ConsumerStoresBackend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  void Open();
  void Close();
  ConsumerStores& stores() { return harness_->stores(); }

  // Subscription "projection" with `handler` on the harness's stores.
  void StartConsumer(Handler handler, int workers = 4);
  // Any subscription on the harness's stores, polling every millisecond.
  void StartConsumer(ConsumerOptions options);
  // A handler whose effect counts deliveries per event (CountEffect).
  Handler CountingHandler();
  std::pair<int64_t, int64_t> Effects();
  // Appends one event to aggregate `aggregate`; returns its position.
  int64_t Append(const std::string& aggregate);
  // Runs `work` in one transaction of the harness's runner.
  core::Status Run(const TransactionWork& work);

  core::ManualClock clock_;
  core::UuidV7Generator ids_{clock_};
  FixedJitter jitter_{0.5};
  std::unique_ptr<ConsumerStoresHarness> harness_;
  std::unique_ptr<StoreEventSource> source_;
  std::unique_ptr<Saga> saga_;  // outlives consumer_, which may feed it
  std::unique_ptr<Consumer> consumer_;
};

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_CONSUMER_STORES_CONFORMANCE_H_
