// ReaderEpoch: lets many threads read a shared structure with no lock and no
// shared-cache-line contention, and lets a writer wait until every reader
// that might still see an old version has finished (a grace period, as in
// read-copy-update). The bus uses it to swap routing snapshots while
// publishers keep publishing, and to make Unsubscribe wait for in-flight
// handler calls.
//
//   {
//     ReaderEpoch::Guard guard(epoch);            // wait-free, per publish
//     const Table* t = current.load(std::memory_order_seq_cst);
//     ... use *t ...
//   }
//   // writer:
//   const Table* old = current.exchange(fresh);   // seq_cst
//   epoch.Synchronize();                          // no reader still has old
//   delete old;
//
// Readers increment a counter picked by thread identity (16 padded slots,
// so a lone publisher keeps its counter in its own cache), under one of two
// epochs. Synchronize flips the epoch twice, each time waiting for the
// counters of the epoch just left to drain, so new readers never starve it.
//
// Thread-safety: Guards may be taken from any thread. Synchronize may be
// called from any thread that does not hold a Guard of the same ReaderEpoch
// (it would wait for itself forever); concurrent Synchronize calls are
// serialized.
#ifndef STOCKPILE_BUS_READER_EPOCH_H_
#define STOCKPILE_BUS_READER_EPOCH_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>

namespace stockpile::bus {

class ReaderEpoch {
 public:
  static constexpr size_t kSlots = 16;

  // A read-side critical section; the structure read under it stays alive
  // until the Guard is destroyed.
  class Guard {
   public:
    explicit Guard(ReaderEpoch& epoch) {
      size_t slot = SlotOfThisThread();
      size_t e = epoch.epoch_.load(std::memory_order_seq_cst);
      counter_ = &epoch.counters_[e][slot].readers;
      counter_->fetch_add(1, std::memory_order_seq_cst);
    }
    ~Guard() { counter_->fetch_sub(1, std::memory_order_release); }
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;

   private:
    std::atomic<int64_t>* counter_;
  };

  ReaderEpoch() = default;
  ReaderEpoch(const ReaderEpoch&) = delete;
  ReaderEpoch& operator=(const ReaderEpoch&) = delete;

  // Returns once every Guard that existed when it was called is destroyed.
  void Synchronize();

 private:
  struct alignas(64) Counter {
    std::atomic<int64_t> readers{0};
  };

  // The address of a thread_local is unique per live thread and costs one
  // instruction (std::hash<std::thread::id> hashes bytes: ~10x slower).
  static size_t SlotOfThisThread() {
    auto id = reinterpret_cast<uintptr_t>(&t_slot_anchor);
    return static_cast<size_t>((id * 0x9E3779B97F4A7C15ULL) >> 60);
  }
  static constinit thread_local char t_slot_anchor;
  void WaitForReaders(size_t epoch);

  std::atomic<size_t> epoch_{0};  // 0 or 1: where new readers register
  Counter counters_[2][kSlots];
  std::mutex sync_mu_;  // serializes Synchronize
};

}  // namespace stockpile::bus

#endif  // STOCKPILE_BUS_READER_EPOCH_H_
