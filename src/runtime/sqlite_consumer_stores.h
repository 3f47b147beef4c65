// The SQLite backend of the consumer runtime: checkpoints, inbox and dead
// letters in tables of the event store's own database file, written through
// SqliteEventStore::Transact, so a handler's effect, its inbox record and
// the checkpoint commit in one transaction (and one fsync, group-committed
// with appends). Reads use a read-only connection of their own. Every
// statement is prepared with bound parameters.
//
//   ASSIGN_OR_RETURN(SqliteConsumerStores s, OpenSqliteConsumerStores(*store));
//   ConsumerDeps deps{.source = &source, .transactions = s.transactions.get(),
//                     .checkpoints = s.checkpoints.get(), .inbox =
//                     s.inbox.get(), .dead_letters = s.dead_letters.get(),
//                     .clock = &clock};
//
// Tables: runtime_checkpoints, runtime_inbox, runtime_dead_letters,
// runtime_sagas, runtime_saga_timers (created if absent).
// Ownership: `store` must outlive the returned objects.
// Thread-safety: all are safe for concurrent use.
#ifndef STOCKPILE_RUNTIME_SQLITE_CONSUMER_STORES_H_
#define STOCKPILE_RUNTIME_SQLITE_CONSUMER_STORES_H_

#include "core/result.h"
#include "runtime/consumer_stores.h"
#include "store/sqlite_event_store.h"

namespace stockpile::runtime {

using SqliteConsumerStores = ConsumerStores;

core::Result<SqliteConsumerStores> OpenSqliteConsumerStores(
    store::SqliteEventStore& store);

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_SQLITE_CONSUMER_STORES_H_
