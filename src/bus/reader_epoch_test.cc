#include "bus/reader_epoch.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

namespace stockpile::bus {
namespace {

TEST(ReaderEpochTest, SynchronizeWaitsForAnEarlierGuard) {
  ReaderEpoch epoch;
  std::promise<void> entered, release;
  std::thread reader([&] {
    ReaderEpoch::Guard guard(epoch);
    entered.set_value();
    release.get_future().wait();
  });
  entered.get_future().wait();
  std::atomic<bool> synced{false};
  std::thread writer([&] {
    epoch.Synchronize();
    synced = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(synced.load());
  release.set_value();
  writer.join();
  reader.join();
  EXPECT_TRUE(synced.load());
}

TEST(ReaderEpochTest, SynchronizeWithNoReadersReturns) {
  ReaderEpoch epoch;
  { ReaderEpoch::Guard guard(epoch); }
  epoch.Synchronize();
  epoch.Synchronize();
}

// Readers dereference the current object while a writer keeps replacing
// and freeing it; the magic number would be wrong (and ASan/TSan would
// report) if an object were freed under a reader.
void ReplaceAndFreeUnderReaders(bool allow_membarrier) {
  struct Obj {
    explicit Obj(int v) : value(v) {}
    ~Obj() { magic = 0; }
    int value;
    std::atomic<int> magic{0x5eed};
  };
  ReaderEpoch epoch(allow_membarrier);
  if (!allow_membarrier) {
    EXPECT_FALSE(epoch.uses_membarrier());
  }
  std::atomic<Obj*> current{new Obj(0)};
  std::atomic<bool> stop{false};
  std::atomic<int64_t> bad{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      while (!stop.load(std::memory_order_relaxed)) {
        ReaderEpoch::Guard guard(epoch);
        Obj* o = current.load(std::memory_order_seq_cst);
        std::this_thread::yield();
        if (o->magic.load() != 0x5eed) bad.fetch_add(1);
      }
    });
  }
  for (int i = 1; i <= 300; ++i) {
    Obj* old = current.exchange(new Obj(i), std::memory_order_seq_cst);
    epoch.Synchronize();
    delete old;
  }
  stop = true;
  for (auto& th : readers) th.join();
  delete current.load();
  EXPECT_EQ(bad.load(), 0);
}

TEST(ReaderEpochTest, ReplacedObjectsAreFreedOnlyAfterTheirReaders) {
  ReplaceAndFreeUnderReaders(/*allow_membarrier=*/true);
}

TEST(ReaderEpochTest, FallbackWithoutMembarrierIsAlsoSafe) {
  ReplaceAndFreeUnderReaders(/*allow_membarrier=*/false);
}

TEST(ReaderEpochTest, SynchronizeWaitsForTheOutermostOfNestedGuards) {
  ReaderEpoch epoch;
  std::promise<void> inner_done, release;
  std::thread reader([&] {
    ReaderEpoch::Guard outer(epoch);
    { ReaderEpoch::Guard inner(epoch); }
    inner_done.set_value();
    release.get_future().wait();
  });
  inner_done.get_future().wait();
  std::atomic<bool> synced{false};
  std::thread writer([&] {
    epoch.Synchronize();
    synced = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(synced.load());  // the inner Guard's exit did not end it
  release.set_value();
  writer.join();
  reader.join();
  EXPECT_TRUE(synced.load());
}

TEST(ReaderEpochTest, LiveReadersHaveDistinctSmallIndices) {
  ReaderEpoch epoch;
  constexpr size_t kThreads = 6;
  std::vector<size_t> index(kThreads);
  std::atomic<size_t> inside{0};
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::vector<std::thread> readers;
  for (size_t t = 0; t < kThreads; ++t) {
    readers.emplace_back([&, t] {
      ReaderEpoch::Guard guard(epoch);
      index[t] = guard.reader_index();
      inside.fetch_add(1);
      released.wait();
    });
  }
  while (inside.load() < kThreads) std::this_thread::yield();
  release.set_value();
  for (auto& th : readers) th.join();
  std::sort(index.begin(), index.end());
  for (size_t t = 0; t < kThreads; ++t) EXPECT_EQ(index[t], t);
  // The exited threads' indices are reused, not grown without bound.
  std::thread later([&] {
    epoch.Synchronize();  // prunes the records of exited threads
    ReaderEpoch::Guard guard(epoch);
    EXPECT_LT(guard.reader_index(), kThreads);
  });
  later.join();
}

// One thread reading more epochs than it caches records for, and epochs
// destroyed and re-created (possibly at the same address) in between: each
// Guard must still register with the right epoch.
TEST(ReaderEpochTest, OneThreadReadingManyEpochsStaysCorrect) {
  std::vector<std::unique_ptr<ReaderEpoch>> epochs;
  for (size_t i = 0; i < ReaderEpoch::kCachedRecords + 3; ++i) {
    epochs.push_back(std::make_unique<ReaderEpoch>());
  }
  for (int round = 0; round < 3; ++round) {
    for (auto& e : epochs) {
      ReaderEpoch::Guard guard(*e);
      EXPECT_EQ(guard.reader_index(), 0u);
    }
    epochs[round].reset();
    epochs[round] = std::make_unique<ReaderEpoch>();
  }
  // A Guard held on one epoch while a writer synchronizes another is not
  // waited for, and the writer of the guarded one is.
  std::optional<ReaderEpoch::Guard> guard;
  guard.emplace(*epochs[0]);
  for (size_t i = 1; i < epochs.size(); ++i) epochs[i]->Synchronize();
  std::atomic<bool> synced{false};
  std::thread writer([&] {
    epochs[0]->Synchronize();
    synced = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_FALSE(synced.load());
  { ReaderEpoch::Guard unrelated(*epochs[1]); }  // must not end the wait
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_FALSE(synced.load());
  guard.reset();
  writer.join();
  EXPECT_TRUE(synced.load());
}

}  // namespace
}  // namespace stockpile::bus
