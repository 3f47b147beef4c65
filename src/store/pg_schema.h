// The PostgreSQL event store's tables and statements: the migrations that
// create and upgrade them (recorded in store_schema_version), and every SQL
// statement the store runs, prepared on each connection so values always
// travel as bound parameters.
//
// Tables live in the connection's current schema (search_path), so one
// database can hold several stores.
//
// Thread-safety: pure functions over a connection the caller owns.
#ifndef STOCKPILE_STORE_PG_SCHEMA_H_
#define STOCKPILE_STORE_PG_SCHEMA_H_

#include <string>

#include "core/result.h"
#include "core/status.h"
#include "store/pg_connection.h"

namespace stockpile::store::pg {

// The schema version this build writes. A database at a newer version is
// refused (FailedPrecondition): an older binary must not write to it.
inline constexpr int kSchemaVersion = 1;

// Creates or upgrades the tables, one transaction per migration, under an
// advisory lock so that processes starting together migrate once.
core::Status MigrateSchema(PgConnection& conn);

// Prepares every statement below on `conn` and sets the session up for
// them (no JIT).
core::Status PrepareStatements(PgConnection& conn);

// The NOTIFY channel of the store in the connection's current schema
// (channels are per database; the schema keeps stores apart).
core::Result<std::string> NotifyChannel(PgConnection& conn);

// Prepared statement names (see pg_schema.cc for their SQL and parameters).
inline const std::string kBegin = "begin";
inline const std::string kCommit = "commit";
inline const std::string kRollback = "rollback";
inline const std::string kLockHead = "lock_head";
inline const std::string kReadHead = "read_head";
inline const std::string kSetHead = "set_head";
inline const std::string kStreamsOf = "streams_of";
inline const std::string kEventsById = "events_by_id";
inline const std::string kInsertEvents = "insert_events";
inline const std::string kUpsertStreams = "upsert_streams";
inline const std::string kNotify = "notify";
inline const std::string kReadAll = "read_all";
inline const std::string kReadAllTenant = "read_all_tenant";
inline const std::string kStream = "stream";
inline const std::string kStreamForUpdate = "stream_for_update";
inline const std::string kReadForward = "read_forward";
inline const std::string kReadBackward = "read_backward";
inline const std::string kMarkDeleted = "mark_deleted";
inline const std::string kSetMetadata = "set_metadata";
inline const std::string kSaveSnapshot = "save_snapshot";
inline const std::string kLoadSnapshot = "load_snapshot";
inline const std::string kDeleteSnapshot = "delete_snapshot";
inline const std::string kScavengeDeleted = "scavenge_deleted";
inline const std::string kRetainedStreams = "retained_streams";
inline const std::string kScavengeStream = "scavenge_stream";

}  // namespace stockpile::store::pg

#endif  // STOCKPILE_STORE_PG_SCHEMA_H_
