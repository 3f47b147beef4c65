#include "bus/reader_epoch.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
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
TEST(ReaderEpochTest, ReplacedObjectsAreFreedOnlyAfterTheirReaders) {
  struct Obj {
    explicit Obj(int v) : value(v) {}
    ~Obj() { magic = 0; }
    int value;
    std::atomic<int> magic{0x5eed};
  };
  ReaderEpoch epoch;
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

}  // namespace
}  // namespace stockpile::bus
