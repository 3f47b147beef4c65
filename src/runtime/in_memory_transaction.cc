#include "runtime/in_memory_transaction.h"

#include "core/check.h"

namespace stockpile::runtime {

InMemoryTransaction& InMemoryTransaction::From(Transaction& tx) {
  auto* memory = dynamic_cast<InMemoryTransaction*>(&tx);
  CHECK(memory != nullptr)
      << "an in-memory store was used with another backend's transaction";
  return *memory;
}

core::Status InMemoryTransactionRunner::Run(const TransactionWork& work) {
  InMemoryTransaction tx;
  core::Status status = work(tx);
  if (!status.ok()) {
    for (auto it = tx.undo_.rbegin(); it != tx.undo_.rend(); ++it) (*it)();
  }
  return status;
}

}  // namespace stockpile::runtime
