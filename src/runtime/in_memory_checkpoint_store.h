// InMemoryCheckpointStore: a CheckpointStore in process memory (tests,
// `--store memory`). Use with an InMemoryTransactionRunner.
//
// Thread-safety: safe for concurrent use.
#ifndef STOCKPILE_RUNTIME_IN_MEMORY_CHECKPOINT_STORE_H_
#define STOCKPILE_RUNTIME_IN_MEMORY_CHECKPOINT_STORE_H_

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "runtime/checkpoint_store.h"

namespace stockpile::runtime {

class InMemoryCheckpointStore final : public CheckpointStore {
 public:
  core::Result<int64_t> Load(std::string_view subscription) override;
  core::Status Save(Transaction& tx, std::string_view subscription,
                    int64_t position) override;

 private:
  std::mutex mu_;
  std::map<std::string, int64_t, std::less<>> positions_;  // GUARDED_BY(mu_)
};

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_IN_MEMORY_CHECKPOINT_STORE_H_
