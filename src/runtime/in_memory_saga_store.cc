#include "runtime/in_memory_saga_store.h"

#include <algorithm>
#include <optional>

#include "runtime/in_memory_transaction.h"

namespace stockpile::runtime {

core::Result<SagaRecord> InMemorySagaStore::Load(const SagaId& id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = records_.find(id);
  if (it == records_.end()) return SagaNotFound(id);
  return it->second;
}

core::Status InMemorySagaStore::Save(Transaction& tx, const SagaRecord& record,
                                     int64_t expected) {
  InMemoryTransaction& memory = InMemoryTransaction::From(tx);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = records_.find(record.id);
  const int64_t stored = it == records_.end() ? 0 : it->second.version;
  if (stored != expected) return SagaConflict(record.id, expected, stored);
  std::optional<SagaRecord> before;
  if (it != records_.end()) before = it->second;
  SagaRecord& saved = records_[record.id];
  saved = record;
  saved.version = expected + 1;
  memory.OnRollback([this, id = record.id, before = std::move(before)] {
    std::lock_guard<std::mutex> undo_lock(mu_);
    if (before) {
      records_[id] = *before;
    } else {
      records_.erase(id);
    }
  });
  return core::Status::Ok();
}

void InMemorySagaStore::ReplaceTimer(Transaction& tx, const TimerKey& key,
                                     const SagaTimer* timer) {
  InMemoryTransaction& memory = InMemoryTransaction::From(tx);
  std::lock_guard<std::mutex> lock(mu_);
  std::optional<SagaTimer> before;
  if (auto it = timers_.find(key); it != timers_.end()) {
    before = it->second;
    timers_.erase(it);
  }
  if (timer != nullptr) timers_[key] = *timer;
  memory.OnRollback([this, key, before = std::move(before)] {
    std::lock_guard<std::mutex> undo_lock(mu_);
    timers_.erase(key);
    if (before) timers_[key] = *before;
  });
}

core::Status InMemorySagaStore::SetTimer(Transaction& tx,
                                         const SagaTimer& timer) {
  ReplaceTimer(tx, TimerKey(timer.id, timer.name), &timer);
  return core::Status::Ok();
}

core::Status InMemorySagaStore::CancelTimer(Transaction& tx, const SagaId& id,
                                            std::string_view name) {
  ReplaceTimer(tx, TimerKey(id, std::string(name)), nullptr);
  return core::Status::Ok();
}

core::Result<std::vector<SagaTimer>> InMemorySagaStore::DueTimers(
    std::string_view saga, int64_t now_ms, size_t limit) {
  std::vector<SagaTimer> due;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [key, timer] : timers_) {
      if (timer.id.saga == saga && timer.due_at_ms <= now_ms) {
        due.push_back(timer);
      }
    }
  }
  std::stable_sort(due.begin(), due.end(),
                   [](const SagaTimer& a, const SagaTimer& b) {
                     return a.due_at_ms < b.due_at_ms;
                   });
  if (due.size() > limit) due.resize(limit);
  return due;
}

}  // namespace stockpile::runtime
