#include "runtime/in_memory_inbox_store.h"

#include "runtime/in_memory_transaction.h"

namespace stockpile::runtime {

core::Result<bool> InMemoryInboxStore::Contains(std::string_view subscription,
                                                std::string_view event_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto ids = seen_.find(subscription);
  return ids != seen_.end() && ids->second.contains(event_id);
}

core::Result<bool> InMemoryInboxStore::Contains(Transaction& tx,
                                                std::string_view subscription,
                                                std::string_view event_id) {
  InMemoryTransaction::From(tx);  // checks the backend
  return Contains(subscription, event_id);
}

core::Status InMemoryInboxStore::Add(Transaction& tx,
                                     std::string_view subscription,
                                     std::string_view event_id) {
  InMemoryTransaction& memory = InMemoryTransaction::From(tx);
  std::lock_guard<std::mutex> lock(mu_);
  auto ids = seen_.find(subscription);
  if (ids == seen_.end()) {
    ids = seen_.emplace(std::string(subscription), EventIds()).first;
  }
  auto [it, added] = ids->second.emplace(event_id);
  if (!added) {
    return core::AlreadyExistsError("event " + std::string(event_id) +
                                    " is already in the inbox of '" +
                                    std::string(subscription) + "'");
  }
  // Elements of unordered containers keep their address until erased (a
  // rehash moves no element), and only this undo erases an event id.
  EventIds* set = &ids->second;
  const std::string* id = &*it;
  memory.OnRollback([this, set, id] {
    std::lock_guard<std::mutex> undo_lock(mu_);
    set->erase(set->find(*id));
  });
  return core::Status::Ok();
}

}  // namespace stockpile::runtime
