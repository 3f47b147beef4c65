#include "runtime/in_memory_checkpoint_store.h"

#include "runtime/in_memory_transaction.h"

namespace stockpile::runtime {

core::Result<int64_t> InMemoryCheckpointStore::Load(
    std::string_view subscription) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = positions_.find(subscription);
  return it == positions_.end() ? int64_t{0} : it->second;
}

core::Status InMemoryCheckpointStore::Save(Transaction& tx,
                                           std::string_view subscription,
                                           int64_t position) {
  InMemoryTransaction& memory = InMemoryTransaction::From(tx);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = positions_.find(subscription);
  if (it == positions_.end()) {
    it = positions_.emplace(std::string(subscription), int64_t{0}).first;
  }
  int64_t& saved = it->second;
  if (position <= saved) return core::Status::Ok();
  const int64_t before = saved;
  saved = position;
  // Map entries are never erased: `slot` stays valid.
  memory.OnRollback([this, slot = &saved, before, position] {
    std::lock_guard<std::mutex> undo_lock(mu_);
    if (*slot == position) *slot = before;  // not if a later run moved it
  });
  return core::Status::Ok();
}

}  // namespace stockpile::runtime
