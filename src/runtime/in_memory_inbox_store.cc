#include "runtime/in_memory_inbox_store.h"

#include "runtime/in_memory_transaction.h"

namespace stockpile::runtime {

core::Result<bool> InMemoryInboxStore::Contains(std::string_view subscription,
                                                std::string_view event_id) {
  std::lock_guard<std::mutex> lock(mu_);
  return seen_.count(Key(subscription, event_id)) > 0;
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
  Key key(subscription, event_id);
  std::lock_guard<std::mutex> lock(mu_);
  if (!seen_.insert(key).second) {
    return core::AlreadyExistsError("event " + key.second +
                                    " is already in the inbox of '" +
                                    key.first + "'");
  }
  memory.OnRollback([this, key] {
    std::lock_guard<std::mutex> undo_lock(mu_);
    seen_.erase(key);
  });
  return core::Status::Ok();
}

}  // namespace stockpile::runtime
