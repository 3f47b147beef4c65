// ConsumerStores: the objects a Consumer keeps its state in, opened
// together on one backend (OpenSqliteConsumerStores,
// OpenPostgresConsumerStores) so that their writes share the backend's
// Transaction.
//
//   ASSIGN_OR_RETURN(ConsumerStores s, OpenPostgresConsumerStores(url));
//   ConsumerDeps deps{.transactions = s.transactions.get(),
//                     .checkpoints = s.checkpoints.get(), ...};
//
// Ownership: owns them; whatever the backend's open function names
// (an event store, a database) must outlive them.
// Thread-safety: each object is safe for concurrent use.
#ifndef STOCKPILE_RUNTIME_CONSUMER_STORES_H_
#define STOCKPILE_RUNTIME_CONSUMER_STORES_H_

#include <memory>

#include "runtime/checkpoint_store.h"
#include "runtime/dead_letter_store.h"
#include "runtime/inbox_store.h"
#include "runtime/saga_store.h"
#include "runtime/transaction.h"

namespace stockpile::runtime {

struct ConsumerStores {
  std::unique_ptr<TransactionRunner> transactions;
  std::unique_ptr<CheckpointStore> checkpoints;
  std::unique_ptr<InboxStore> inbox;
  std::unique_ptr<DeadLetterStore> dead_letters;
  std::unique_ptr<SagaStore> sagas;  // saga.h's instances and timers
};

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_CONSUMER_STORES_H_
