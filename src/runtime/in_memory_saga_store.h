// InMemorySagaStore: a SagaStore in process memory (tests, `--store
// memory`). Use with an InMemoryTransactionRunner: writes apply at once and
// are undone if the transaction fails.
//
// Thread-safety: safe for concurrent use.
#ifndef STOCKPILE_RUNTIME_IN_MEMORY_SAGA_STORE_H_
#define STOCKPILE_RUNTIME_IN_MEMORY_SAGA_STORE_H_

#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "runtime/saga_store.h"

namespace stockpile::runtime {

class InMemorySagaStore final : public SagaStore {
 public:
  core::Result<SagaRecord> Load(const SagaId& id) override;
  core::Status Save(Transaction& tx, const SagaRecord& record,
                    int64_t expected) override;
  core::Status SetTimer(Transaction& tx, const SagaTimer& timer) override;
  core::Status CancelTimer(Transaction& tx, const SagaId& id,
                           std::string_view name) override;
  core::Result<std::vector<SagaTimer>> DueTimers(std::string_view saga,
                                                 int64_t now_ms,
                                                 size_t limit) override;

 private:
  using TimerKey = std::pair<SagaId, std::string>;  // (instance, name)

  // Puts `timer` (or, when null, removes the timer of `key`) and registers
  // the undo step with `tx`.
  void ReplaceTimer(Transaction& tx, const TimerKey& key,
                    const SagaTimer* timer);

  std::mutex mu_;
  std::map<SagaId, SagaRecord> records_;  // GUARDED_BY(mu_)
  std::map<TimerKey, SagaTimer> timers_;  // GUARDED_BY(mu_)
};

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_IN_MEMORY_SAGA_STORE_H_
