#include "bus/reader_epoch.h"

#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <utility>

#include "core/check.h"

namespace stockpile::bus {

namespace {

long Membarrier(int cmd) {  // NOLINT(google-runtime-int): syscall's type
  return syscall(__NR_membarrier, cmd, 0U, 0);
}

// Registers the process for expedited private membarriers (idempotent and
// cheap). False when the kernel lacks them; readers then pay a seq_cst store.
bool RegisterMembarrier() {
  long cmds = Membarrier(MEMBARRIER_CMD_QUERY);  // NOLINT(google-runtime-int)
  if (cmds < 0 || (cmds & MEMBARRIER_CMD_PRIVATE_EXPEDITED) == 0) return false;
  return Membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) == 0;
}

}  // namespace

constinit thread_local ReaderEpoch::Record* ReaderEpoch::t_last_record_ =
    nullptr;

ReaderEpoch::ReaderEpoch(bool allow_membarrier)
    : use_membarrier_(allow_membarrier && RegisterMembarrier()) {}

ReaderEpoch::~ReaderEpoch() {
  // Records may live on in thread caches; make them unrecognisable so a
  // later epoch at the same address never adopts one.
  std::lock_guard<std::mutex> lock(registry_mu_);
  for (auto& r : records_) r->owner.store(nullptr, std::memory_order_relaxed);
}

ReaderEpoch::Record* ReaderEpoch::RecordOfThisThread() {
  // The records of every ReaderEpoch this thread has read recently.
  // Function-local, so it is built on first use; destroyed at thread exit
  // (clearing t_last_record_ first), which lets the epochs prune them.
  struct Cache {
    std::vector<std::shared_ptr<Record>> records;
    ~Cache() { t_last_record_ = nullptr; }
  };
  thread_local Cache cache;
  auto& records = cache.records;
  for (auto& r : records) {
    if (r->owner.load(std::memory_order_relaxed) == this) {
      t_last_record_ = r.get();
      return t_last_record_;
    }
  }
  if (records.size() >= kCachedRecords) {
    // Forget idle records (of other epochs: this one had no record here);
    // a record inside a Guard stays, however many that makes.
    std::erase_if(records, [](const std::shared_ptr<Record>& r) {
      return r->nesting == 0;
    });
  }
  records.push_back(Register());
  t_last_record_ = records.back().get();
  return t_last_record_;
}

std::shared_ptr<ReaderEpoch::Record> ReaderEpoch::Register() {
  auto rec = std::make_shared<Record>();
  rec->owner.store(this, std::memory_order_relaxed);
  std::lock_guard<std::mutex> lock(registry_mu_);
  PruneLocked();
  // The smallest index no registered record has.
  std::vector<bool> used(records_.size() + 1, false);
  for (const auto& r : records_) {
    if (r->index < used.size()) used[r->index] = true;
  }
  rec->index = static_cast<size_t>(std::find(used.begin(), used.end(), false) -
                                   used.begin());
  records_.push_back(rec);
  return rec;
}

void ReaderEpoch::PruneLocked() {
  // use_count() == 1: no thread cache holds the record, so its thread has
  // exited or dropped it while idle, and nobody can enter a Guard with it.
  // (Synchronize holds its own references to records it waits for.)
  std::erase_if(records_, [](const std::shared_ptr<Record>& r) {
    return r.use_count() == 1;
  });
}

void ReaderEpoch::Synchronize() {
  std::lock_guard<std::mutex> sync(sync_mu_);
  if (use_membarrier_) {
    // Every running thread executes a full fence: a reader that loaded the
    // old pointer has its odd seq visible to the loads below.
    CHECK(Membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) == 0);
  }
  std::vector<std::pair<std::shared_ptr<Record>, uint64_t>> active;
  {
    std::lock_guard<std::mutex> lock(registry_mu_);
    PruneLocked();
    for (const auto& r : records_) {
      uint64_t seq = r->seq.load(std::memory_order_seq_cst);
      if (seq % 2 == 1) active.emplace_back(r, seq);
    }
  }
  for (const auto& [rec, seq] : active) {
    // seq only grows, so any change means that read-side section ended;
    // the acquire pairs with the reader's release store on leaving.
    for (int spins = 0; rec->seq.load(std::memory_order_acquire) == seq;
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
