// Transaction / TransactionRunner: the unit in which a handler's effect, its
// inbox record, the consumer's checkpoint and its dead letters commit
// together (exactly-once effects, DESIGN.md §5).
//
//   RETURN_IF_ERROR(runner.Run([&](Transaction& tx) -> core::Status {
//     RETURN_IF_ERROR(effect(tx));                 // e.g. a read-model row
//     RETURN_IF_ERROR(inbox.Add(tx, name, event.event_id));
//     return checkpoints.Save(tx, name, position);
//   }));   // all of it, or (on a non-ok status) none of it
//
// A Transaction is backend specific (SQLite: the event store's writer
// transaction; PostgreSQL: BEGIN ... COMMIT on one pooled connection;
// memory: an undo log). Stores of one backend accept only that
// backend's Transaction; mixing backends is a broken invariant (CHECK).
//
// Ownership: a Transaction is owned by the runner and valid only during the
// Run() call that handed it out.
// Thread-safety: runners are safe for concurrent use; a Transaction belongs
// to the thread running the work.
#ifndef STOCKPILE_RUNTIME_TRANSACTION_H_
#define STOCKPILE_RUNTIME_TRANSACTION_H_

#include <functional>

#include "core/status.h"

namespace stockpile::store {
class PgConnection;
class SqliteTransaction;
}  // namespace stockpile::store

namespace stockpile::runtime {

class Transaction {
 public:
  virtual ~Transaction() = default;

  // The SQLite writer transaction when the runner is SQLite backed (effects
  // run SQL on it), else null.
  virtual store::SqliteTransaction* sqlite() { return nullptr; }

  // The PostgreSQL connection, inside the open transaction, when the runner
  // is PostgreSQL backed, else null. Do not COMMIT or ROLLBACK on it.
  virtual store::PgConnection* postgres() { return nullptr; }
};

using TransactionWork = std::function<core::Status(Transaction& tx)>;

class TransactionRunner {
 public:
  virtual ~TransactionRunner() = default;

  // Runs `work` atomically and returns its status once committed (durable
  // for persistent backends). A non-ok status from `work` rolls back all it
  // wrote and is returned.
  virtual core::Status Run(const TransactionWork& work) = 0;
};

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_TRANSACTION_H_
