// InMemoryDeadLetterStore: a DeadLetterStore in process memory (tests,
// `--store memory`). Use with an InMemoryTransactionRunner.
//
// Thread-safety: safe for concurrent use.
#ifndef STOCKPILE_RUNTIME_IN_MEMORY_DEAD_LETTER_STORE_H_
#define STOCKPILE_RUNTIME_IN_MEMORY_DEAD_LETTER_STORE_H_

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "runtime/dead_letter_store.h"

namespace stockpile::runtime {

class InMemoryDeadLetterStore final : public DeadLetterStore {
 public:
  core::Status Put(Transaction& tx, const DeadLetter& record) override;
  core::Status Remove(Transaction& tx, std::string_view id) override;
  core::Result<DeadLetter> Get(std::string_view id) override;
  core::Result<std::vector<DeadLetter>> List(
      std::string_view subscription) override;
  core::Result<std::vector<DeadLetter>> ListAll(
      std::string_view subscription) override;
  core::Status RequestRedrive(std::string_view id) override;
  core::Result<int> RequestRedriveAll(std::string_view subscription) override;
  core::Status Discard(std::string_view id) override;

 private:
  std::vector<DeadLetter> Select(std::string_view subscription,
                                 bool include_retrying);
  // Puts `previous` back under `id` (or removes `id` when it had none).
  void Restore(const std::string& id, const std::optional<DeadLetter>& before);

  std::mutex mu_;
  std::map<std::string, DeadLetter, std::less<>> records_;  // GUARDED_BY(mu_)
};

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_IN_MEMORY_DEAD_LETTER_STORE_H_
