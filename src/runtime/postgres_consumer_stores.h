// The PostgreSQL backend of the consumer runtime: checkpoints, inbox and
// dead letters in tables of the event store's database, so a process on
// PostgreSQL resumes every subscription from its checkpoint and keeps its
// dead letters across restarts. A Transaction is BEGIN ... COMMIT on one
// pooled connection; a handler's effect, its inbox record and the
// checkpoint commit together when the effect writes through
// `tx.postgres()`. Every statement is prepared with bound parameters.
//
//   ASSIGN_OR_RETURN(ConsumerStores s, OpenPostgresConsumerStores(url));
//   ConsumerDeps deps{.source = &source, .transactions = s.transactions.get(),
//                     .checkpoints = s.checkpoints.get(), .inbox =
//                     s.inbox.get(), .dead_letters = s.dead_letters.get(),
//                     .clock = &clock};
//
// Tables: runtime_checkpoints, runtime_inbox, runtime_dead_letters,
// runtime_sagas, runtime_saga_timers, created if absent in the connection's
// current schema (search_path): pass the event store's URL and they sit beside
// its store_* tables.
//
// Connections: transactions take one from a pool of `max_connections`
// (callers beyond that wait); reads and the operator's dead-letter calls
// are single autocommit statements on a second, smaller pool, so work
// inside Run() may call them without waiting for itself.
//
// Ownership: the returned objects share the pools; they may be destroyed
// in any order.
// Thread-safety: all are safe for concurrent use.
#ifndef STOCKPILE_RUNTIME_POSTGRES_CONSUMER_STORES_H_
#define STOCKPILE_RUNTIME_POSTGRES_CONSUMER_STORES_H_

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "runtime/consumer_stores.h"

namespace stockpile::runtime {

using PostgresConsumerStores = ConsumerStores;

struct PostgresConsumerOptions {
  // Connections for transactions (one per concurrent Run()), opened on
  // demand.
  size_t max_connections = 8;
  // Connections for reads and operator calls, opened on demand.
  size_t max_read_connections = 4;
  // Statements that effects execute on `tx.postgres()`: name -> SQL,
  // prepared on every transaction connection. Their tables must exist
  // when the first transaction runs. Names starting with "runtime_" are
  // taken.
  std::vector<std::pair<std::string, std::string>> statements;
};

// `url` is a libpq URL, normally the PostgresEventStore's (see
// postgres_event_store.h). Creates the tables, then opens connections on
// demand. Unavailable when the server cannot be reached; InvalidArgument
// for an empty pool.
core::Result<PostgresConsumerStores> OpenPostgresConsumerStores(
    const std::string& url, const PostgresConsumerOptions& options = {});

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_POSTGRES_CONSUMER_STORES_H_
