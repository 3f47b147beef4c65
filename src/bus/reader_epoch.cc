#include "bus/reader_epoch.h"

#include <chrono>
#include <thread>

namespace stockpile::bus {

constinit thread_local char ReaderEpoch::t_slot_anchor = 0;

void ReaderEpoch::Synchronize() {
  std::lock_guard<std::mutex> lock(sync_mu_);
  // A reader registers under the epoch it read before incrementing. Any
  // reader that can still see the old version incremented before the
  // caller's seq_cst swap, so after each flip it is visible in the counter
  // of the epoch it used; draining both epochs covers readers that read the
  // epoch before a flip and incremented after it.
  for (int flip = 0; flip < 2; ++flip) {
    size_t old = epoch_.load(std::memory_order_seq_cst);
    epoch_.store(old ^ 1, std::memory_order_seq_cst);
    WaitForReaders(old);
  }
}

void ReaderEpoch::WaitForReaders(size_t epoch) {
  for (Counter& c : counters_[epoch]) {
    // Each slot's count is exact (a reader decrements the slot it
    // incremented), so seeing zero once proves earlier readers are gone.
    for (int spins = 0; c.readers.load(std::memory_order_seq_cst) != 0;
         ++spins) {
      if (spins < 64) {
        std::this_thread::yield();
      } else {
        std::this_thread::sleep_for(std::chrono::microseconds(50));
      }
    }
  }
}

}  // namespace stockpile::bus
