// InMemoryInboxStore: an InboxStore in process memory (tests,
// `--store memory`). Use with an InMemoryTransactionRunner.
//
// Thread-safety: safe for concurrent use.
#ifndef STOCKPILE_RUNTIME_IN_MEMORY_INBOX_STORE_H_
#define STOCKPILE_RUNTIME_IN_MEMORY_INBOX_STORE_H_

#include <mutex>
#include <set>
#include <string>
#include <utility>

#include "runtime/inbox_store.h"

namespace stockpile::runtime {

class InMemoryInboxStore final : public InboxStore {
 public:
  core::Result<bool> Contains(std::string_view subscription,
                              std::string_view event_id) override;
  core::Result<bool> Contains(Transaction& tx, std::string_view subscription,
                              std::string_view event_id) override;
  core::Status Add(Transaction& tx, std::string_view subscription,
                   std::string_view event_id) override;

 private:
  using Key = std::pair<std::string, std::string>;

  std::mutex mu_;
  std::set<Key> seen_;  // GUARDED_BY(mu_)
};

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_IN_MEMORY_INBOX_STORE_H_
