// ReaderEpoch: lets many threads read a shared structure with no lock and no
// atomic read-modify-write, and lets a writer wait until every reader that
// might still see an old version has finished (a grace period, as in
// read-copy-update). The bus uses it to swap routing snapshots while
// publishers keep publishing, and to make Unsubscribe wait for in-flight
// handler calls.
//
//   {
//     ReaderEpoch::Guard guard(epoch);            // per publish: two stores
//     const Table* t = current.load(std::memory_order_seq_cst);
//     ... use *t ...
//   }
//   // writer:
//   const Table* old = current.exchange(fresh);   // seq_cst
//   epoch.Synchronize();                          // no reader still has old
//   delete old;
//
// Each thread that reads gets its own reader record per ReaderEpoch (a
// cache line only it writes), with a sequence number that is odd while the
// thread is inside a Guard. Entering stores seq+1, leaving stores seq+1
// again (release); nested Guards on one thread only count.
//
// Memory ordering. The writer must not miss a reader that loaded the old
// pointer. Reader: store seq (odd), then load `current`. Writer: exchange
// `current`, then read every record's seq. Either the writer sees the odd
// seq and waits for it to change (the reader's release store on leaving,
// read with acquire, orders the reader's use of the old version before the
// writer's delete), or the reader's load comes after the exchange and sees
// the new pointer. That "either" needs a StoreLoad barrier on both sides:
//  - With membarrier(2) (MEMBARRIER_CMD_PRIVATE_EXPEDITED, registered in the
//    constructor), the reader's barrier is only a compiler fence and the
//    writer runs membarrier, which makes every running thread of the
//    process execute a full fence: afterwards a reader's seq store is
//    visible, or its later load of `current` sees the new pointer.
//  - Without it (old kernel, seccomp), the reader's entering store is
//    seq_cst, and with the writer's seq_cst exchange and loads the C++
//    single total order gives the same "either".
// Synchronize waits only for records that were odd when it looked and only
// until their seq changes, so a stream of new readers cannot starve it.
//
// reader_index() is a small number unique among the threads registered with
// this ReaderEpoch (reused after a thread has exited and its record been
// pruned), so callers may keep per-reader state such as counters that only
// that thread writes.
//
// Ownership: records are shared between the ReaderEpoch and a per-thread
// cache; either may go first. A thread caches up to kCachedRecords records
// (one per ReaderEpoch it reads); beyond that it drops idle ones.
//
// Thread-safety: Guards may be taken from any thread. Synchronize may be
// called from any thread that does not hold a Guard of the same ReaderEpoch
// (it would wait for itself forever); concurrent Synchronize calls are
// serialized. No Guard may be taken from a thread_local destructor.
#ifndef STOCKPILE_BUS_READER_EPOCH_H_
#define STOCKPILE_BUS_READER_EPOCH_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace stockpile::bus {

class ReaderEpoch {
 public:
  static constexpr size_t kCachedRecords = 4;

  // One thread's reader state for one ReaderEpoch.
  struct alignas(64) Record {
    // Odd while the owning thread is inside a Guard; written only by it.
    std::atomic<uint64_t> seq{0};
    // The ReaderEpoch this record belongs to; null once that is destroyed.
    std::atomic<const ReaderEpoch*> owner{nullptr};
    size_t index = 0;  // immutable after registration
    int nesting = 0;   // touched only by the owning thread
    // Scratch for the epoch's user, touched only by the owning thread inside
    // a Guard (the bus memoizes the last route this thread published on).
    uint64_t memo_tag = 0;
    const void* memo = nullptr;
  };

  // A read-side critical section; the structure read under it stays alive
  // until the Guard is destroyed.
  class Guard {
   public:
    explicit Guard(ReaderEpoch& epoch) {
      Record* r = t_last_record_;
      if (r == nullptr || r->owner.load(std::memory_order_relaxed) != &epoch) {
        r = epoch.RecordOfThisThread();
      }
      rec_ = r;
      if (r->nesting++ == 0) {
        uint64_t odd = r->seq.load(std::memory_order_relaxed) + 1;
        if (epoch.use_membarrier_) {
          r->seq.store(odd, std::memory_order_relaxed);
          std::atomic_signal_fence(std::memory_order_seq_cst);
        } else {
          r->seq.store(odd, std::memory_order_seq_cst);
        }
      }
    }
    ~Guard() {
      if (--rec_->nesting == 0) {
        rec_->seq.store(rec_->seq.load(std::memory_order_relaxed) + 1,
                        std::memory_order_release);
      }
    }
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;

    // See the header comment: unique among this epoch's live readers.
    size_t reader_index() const { return rec_->index; }
    // This thread's record (for its memo fields).
    Record& record() const { return *rec_; }

   private:
    Record* rec_;
  };

  // `allow_membarrier` = false forces the seq_cst-store path (for tests).
  explicit ReaderEpoch(bool allow_membarrier = true);
  ~ReaderEpoch();
  ReaderEpoch(const ReaderEpoch&) = delete;
  ReaderEpoch& operator=(const ReaderEpoch&) = delete;

  // Returns once every Guard that existed when it was called is destroyed.
  void Synchronize();

  // True when the fast (membarrier) path is in use; for tests and reports.
  bool uses_membarrier() const { return use_membarrier_; }

 private:
  // The calling thread's record for this epoch, registering one if needed;
  // also makes it the thread's t_last_record_.
  Record* RecordOfThisThread();
  std::shared_ptr<Record> Register();
  // Drops records no thread holds any more. Requires registry_mu_.
  void PruneLocked();

  // The record of the last ReaderEpoch this thread read (one instruction to
  // reach; validated by Record::owner). Owned by the thread's record cache.
  static constinit thread_local Record* t_last_record_;

  // Immutable after construction.
  const bool use_membarrier_;

  std::mutex sync_mu_;  // serializes Synchronize

  std::mutex registry_mu_;
  std::vector<std::shared_ptr<Record>> records_;  // GUARDED_BY(registry_mu_)
};

}  // namespace stockpile::bus

#endif  // STOCKPILE_BUS_READER_EPOCH_H_
