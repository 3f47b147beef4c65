#include "store/sqlite_schema.h"

#include <string>

#include "core/status_macros.h"

namespace stockpile::store {

namespace {

// kMigrations[i] takes the schema from version i to i + 1.
constexpr const char* kMigrations[] = {
    // 0 -> 1: the first schema.
    "CREATE TABLE streams ("
    "  id INTEGER PRIMARY KEY,"
    "  tenant TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  version INTEGER NOT NULL,"
    "  deleted INTEGER NOT NULL DEFAULT 0,"
    "  max_age_ms INTEGER, max_count INTEGER, truncate_before INTEGER,"
    "  UNIQUE (tenant, name));"
    "CREATE TABLE events ("
    "  position INTEGER PRIMARY KEY,"
    "  stream_id INTEGER NOT NULL,"
    "  stream_version INTEGER NOT NULL,"
    "  event_id TEXT NOT NULL,"
    "  event_type TEXT NOT NULL,"
    "  tenant TEXT NOT NULL,"
    "  aggregate_type TEXT NOT NULL,"
    "  aggregate_id TEXT NOT NULL,"
    "  timestamp_ms INTEGER NOT NULL,"
    "  version INTEGER NOT NULL,"
    "  payload TEXT NOT NULL,"
    "  metadata TEXT NOT NULL);"
    "CREATE UNIQUE INDEX events_by_stream ON events (stream_id, "
    "stream_version);"
    "CREATE UNIQUE INDEX events_by_id ON events (stream_id, event_id);"
    "CREATE TABLE snapshots ("
    "  stream_id INTEGER PRIMARY KEY,"
    "  stream_version INTEGER NOT NULL,"
    "  schema_version INTEGER NOT NULL,"
    "  state TEXT NOT NULL);"
    "CREATE TABLE log_head (id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  position INTEGER NOT NULL);"
    "INSERT INTO log_head VALUES (1, 0);",
    // 1 -> 2: eventIds are unique in the whole log, not per stream (as on
    // PostgreSQL; consumer inboxes key on them). Keyed by (stream, eventId),
    // every commit also dirtied one index page per stream it touched;
    // UUIDv7 ids grow in time order, so this index gains at its end.
    "DROP INDEX events_by_id;"
    "CREATE UNIQUE INDEX events_by_event_id ON events (event_id);",
};
static_assert(std::size(kMigrations) == kSqliteSchemaVersion);

}  // namespace

core::Status MigrateSqliteSchema(SqliteDb& db) {
  // Must precede the first table so Scavenge can return pages to the file
  // system with incremental_vacuum; a no-op on an existing database.
  RETURN_IF_ERROR(db.Exec("PRAGMA auto_vacuum = INCREMENTAL;"));
  RETURN_IF_ERROR(
      db.Exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER "
              "NOT NULL);"));
  int64_t version = 0;
  {
    ASSIGN_OR_RETURN(ScopedStatement st,
                     db.Prepare("SELECT MAX(version) FROM schema_version"));
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (row && !st.IsNull(0)) version = st.Int(0);
  }
  if (version > kSqliteSchemaVersion) {
    return core::FailedPreconditionError(
        "'" + db.path() + "' has event store schema version " +
        std::to_string(version) + ", newer than this build supports (" +
        std::to_string(kSqliteSchemaVersion) + ")");
  }
  for (int64_t v = version; v < kSqliteSchemaVersion; ++v) {
    RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
    core::Status s = db.Exec(kMigrations[v]);
    if (s.ok()) {
      s = db.Exec("INSERT INTO schema_version VALUES (" +
                  std::to_string(v + 1) + ")");
    }
    if (s.ok()) s = db.Exec("COMMIT");
    if (!s.ok()) {
      db.Exec("ROLLBACK").IgnoreError();
      return s.WithContext("migrating the event store schema to version " +
                           std::to_string(v + 1));
    }
  }
  return core::Status::Ok();
}

}  // namespace stockpile::store
