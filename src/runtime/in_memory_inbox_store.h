// InMemoryInboxStore: an InboxStore in process memory (tests,
// `--store memory`). Use with an InMemoryTransactionRunner.
//
// Thread-safety: safe for concurrent use.
#ifndef STOCKPILE_RUNTIME_IN_MEMORY_INBOX_STORE_H_
#define STOCKPILE_RUNTIME_IN_MEMORY_INBOX_STORE_H_

#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "core/string_hash.h"
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
  // Hashing string_views lets lookups run without building a key string.
  using Hash = core::StringHash;
  using EventIds = std::unordered_set<std::string, Hash, std::equal_to<>>;

  std::mutex mu_;
  // subscription -> event ids in its inbox. GUARDED_BY(mu_)
  std::unordered_map<std::string, EventIds, Hash, std::equal_to<>> seen_;
};

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_IN_MEMORY_INBOX_STORE_H_
