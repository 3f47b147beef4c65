// SqliteEventStore: the embedded default EventStore, one SQLite file in the
// data directory (DESIGN.md §6).
//
// Durability: WAL journal with synchronous=FULL, so every COMMIT fsyncs the
// WAL before it returns; an Append is answered only after the commit that
// holds its events, so an acknowledged event survives a crash or power loss.
// Throughput comes from group commit: one writer thread (sqlite_writer.h)
// gathers concurrent Append calls into one transaction and one fsync.
// Positions are assigned by that thread in commit order, so readers (each on
// its own pooled connection) never see a gap that fills in later.
//
// Opening applies schema migrations (sqlite_schema.h). A file at `path`
// that is not a SQLite database, or has a newer schema, is a
// FailedPrecondition naming the path; the file is left untouched.
//
// The runtime's own tables (checkpoints, inbox, read models) live in the
// same database. "Effect + checkpoint in one transaction" works through
// Transact(): the work runs on the writer thread inside the group-commit
// transaction (in its own savepoint), may run any SQL on the connection and
// append events, and is durable when Transact returns OK:
//
//   store->Transact([&](SqliteTransaction& tx) -> core::Status {
//     RETURN_IF_ERROR(ApplyToReadModel(tx.db(), event));     // the effect
//     RETURN_IF_ERROR(SaveCheckpoint(tx.db(), name, event.position));
//     return core::Status::Ok();   // an error rolls back this work only
//   });
//
// Thread-safety: safe for concurrent use. Subscriptions must be destroyed
// before the store. Transact work must not call the store (it would wait
// for itself); use the SqliteTransaction instead.
#ifndef STOCKPILE_STORE_SQLITE_EVENT_STORE_H_
#define STOCKPILE_STORE_SQLITE_EVENT_STORE_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/event_store.h"
#include "store/event_store_options.h"

namespace stockpile::store {

class SqliteDb;

// The writer's transaction, handed to Transact() work. Valid only during
// that call, on the writer thread.
class SqliteTransaction {
 public:
  virtual ~SqliteTransaction() = default;
  // The writer connection, inside the open transaction; its prepared
  // statements are cached across transactions. Do not COMMIT, ROLLBACK or
  // change pragmas on it.
  virtual SqliteDb& db() = 0;
  // As EventStore::Append, but part of this transaction: the events become
  // visible and durable only when the whole Transact() commits.
  virtual core::Result<AppendResult> Append(
      std::string_view tenant, std::string_view stream,
      ExpectedVersion expected, std::vector<core::Event> events) = 0;
};

class SqliteEventStore : public EventStore {
 public:
  // Opens (creating if absent) the store in the database file `path`.
  static core::Result<std::unique_ptr<SqliteEventStore>> Open(
      const std::string& path, EventStoreOptions options = {});

  // Runs `work` atomically inside the writer's next transaction and returns
  // its status once durable. A non-ok status rolls back everything `work`
  // did (and only that).
  virtual core::Status Transact(
      std::function<core::Status(SqliteTransaction& tx)> work) = 0;

  // The database file, for the runtime's read-only connections.
  virtual const std::string& path() const = 0;
};

}  // namespace stockpile::store

#endif  // STOCKPILE_STORE_SQLITE_EVENT_STORE_H_
