// InMemoryTransaction / InMemoryTransactionRunner: the memory backend of
// transaction.h. In-memory stores apply each write at once and register an
// undo step; a failed Run() undoes them in reverse order, so a failed
// handler leaves neither an inbox record nor a checkpoint behind.
//
// Transactions are atomic but not isolated from each other: concurrent
// runs may interleave their writes (the consumer never writes the same
// inbox or dead-letter key from two workers, and checkpoints only move
// forward).
//
// Thread-safety: the runner is safe for concurrent use; a transaction is
// used by the thread that runs it.
#ifndef STOCKPILE_RUNTIME_IN_MEMORY_TRANSACTION_H_
#define STOCKPILE_RUNTIME_IN_MEMORY_TRANSACTION_H_

#include <functional>
#include <vector>

#include "runtime/transaction.h"

namespace stockpile::runtime {

class InMemoryTransaction final : public Transaction {
 public:
  // Registers how to undo a write just made.
  void OnRollback(std::function<void()> undo) {
    undo_.push_back(std::move(undo));
  }

  // The memory transaction behind `tx`. `tx` must come from an
  // InMemoryTransactionRunner (CHECK).
  static InMemoryTransaction& From(Transaction& tx);

 private:
  friend class InMemoryTransactionRunner;
  std::vector<std::function<void()>> undo_;
};

class InMemoryTransactionRunner final : public TransactionRunner {
 public:
  core::Status Run(const TransactionWork& work) override;
};

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_IN_MEMORY_TRANSACTION_H_
