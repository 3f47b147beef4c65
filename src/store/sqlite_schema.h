// The SQLite event store's schema and its migrations. The database records
// its schema version in `schema_version`; opening a store applies every
// migration above it, each in its own transaction, and refuses a database
// written by a newer Stockpile.
//
// Tables (all owned by the store; the runtime adds its own next to them):
//   streams(id, tenant, name, version, deleted, max_age_ms, max_count,
//           truncate_before)                       UNIQUE(tenant, name)
//   events(position PK, stream_id, stream_version, event_id, event_type,
//          tenant, aggregate_type, aggregate_id, timestamp_ms, version,
//          payload JSON, metadata JSON)  UNIQUE(stream_id, stream_version),
//                                        UNIQUE(event_id)
//   snapshots(stream_id PK, stream_version, schema_version, state JSON)
//   log_head(id = 1, position)  the highest position ever assigned, so
//                               positions are never reused after a scavenge
//
// Thread-safety: call with the writer connection before other use.
#ifndef STOCKPILE_STORE_SQLITE_SCHEMA_H_
#define STOCKPILE_STORE_SQLITE_SCHEMA_H_

#include "core/status.h"
#include "store/sqlite_db.h"

namespace stockpile::store {

inline constexpr int kSqliteSchemaVersion = 2;

core::Status MigrateSqliteSchema(SqliteDb& db);

}  // namespace stockpile::store

#endif  // STOCKPILE_STORE_SQLITE_SCHEMA_H_
