// PostgresEventStore: the EventStore on PostgreSQL (libpq), for the
// distributed mode (DESIGN.md §6): several processes, one database.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<EventStore> store,
//                    MakePostgresEventStore(
//                        "postgres://user:pass@127.0.0.1:5432/stockpile"));
//
// - The schema (tables store_*) is created or migrated on open, in the
//   connection's current schema: add `?options=-csearch_path%3Dname` to the
//   URL to keep several stores in one database.
// - Appends from all threads of a process are grouped into one transaction
//   by a single writer (pg_append_writer.h) and answered after COMMIT.
// - Positions are gap-free and become visible in position order, across
//   processes too: a reader that has seen position P never later finds an
//   event below P (docs/architecture.md, "PostgreSQL positions: no reader
//   skips a late commit").
// - Subscriptions wake on LISTEN/NOTIFY and poll as a fallback.
//
// Ownership: the store owns its connections and threads. Subscriptions must
// be destroyed before the store.
// Thread-safety: safe for concurrent use (see event_store.h).
#ifndef STOCKPILE_STORE_POSTGRES_EVENT_STORE_H_
#define STOCKPILE_STORE_POSTGRES_EVENT_STORE_H_

#include <cstddef>
#include <memory>
#include <string>

#include "core/result.h"
#include "store/event_store.h"
#include "store/event_store_options.h"

namespace stockpile::store {

struct PostgresOptions {
  // Connections for reads, subscriptions and deletions (the writer and the
  // listener have their own). Opened on demand.
  size_t max_read_connections = 16;
};

// Connects, migrates the schema and starts the writer and the listener.
// Unavailable when the server cannot be reached; FailedPrecondition when
// the database holds a newer schema than this build understands.
core::Result<std::unique_ptr<EventStore>> MakePostgresEventStore(
    const std::string& url, EventStoreOptions options = {},
    PostgresOptions postgres = {});

}  // namespace stockpile::store

#endif  // STOCKPILE_STORE_POSTGRES_EVENT_STORE_H_
