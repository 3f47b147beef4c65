#include "store/pg_schema.h"

#include <utility>
#include <vector>

#include "core/status_macros.h"

namespace stockpile::store::pg {

namespace {

// Migration N brings the schema from version N - 1 to N. Never edit a
// released migration; append a new one.
const std::vector<std::string>& Migrations() {
  static const auto* const kMigrations = new std::vector<std::string>{
      // 1: the log, its head, streams and snapshots.
      R"sql(
CREATE TABLE store_head (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  position bigint NOT NULL);
INSERT INTO store_head (id, position) VALUES (true, 0);
CREATE TABLE store_streams (
  tenant_id text NOT NULL,
  stream text NOT NULL,
  version bigint NOT NULL,
  deleted boolean NOT NULL DEFAULT false,
  max_age_ms bigint,
  max_count bigint,
  truncate_before bigint,
  PRIMARY KEY (tenant_id, stream));
CREATE TABLE store_events (
  position bigint PRIMARY KEY,
  tenant_id text NOT NULL,
  stream text NOT NULL,
  stream_version bigint NOT NULL,
  event_id uuid NOT NULL UNIQUE,
  event_type text NOT NULL,
  timestamp_ms bigint NOT NULL,
  body json NOT NULL);
CREATE UNIQUE INDEX store_events_stream
  ON store_events (tenant_id, stream, stream_version);
CREATE INDEX store_events_tenant ON store_events (tenant_id, position);
CREATE TABLE store_snapshots (
  tenant_id text NOT NULL,
  stream text NOT NULL,
  stream_version bigint NOT NULL,
  schema_version int NOT NULL,
  state json NOT NULL,
  PRIMARY KEY (tenant_id, stream));
)sql",
  };
  return *kMigrations;
}

// name -> SQL of every prepared statement.
const std::vector<std::pair<std::string, std::string>>& Statements() {
  static const auto* const kStatements =
      new std::vector<std::pair<std::string, std::string>>{
          {kBegin, "BEGIN"},
          {kCommit, "COMMIT"},
          {kRollback, "ROLLBACK"},
          // Writers serialize on the head row until they commit: positions
          // become visible in order (docs/architecture.md).
          {kLockHead, "SELECT position FROM store_head FOR UPDATE"},
          {kReadHead, "SELECT position FROM store_head"},
          {kSetHead, "UPDATE store_head SET position = $1"},
          {kStreamsOf,
           "SELECT s.tenant_id, s.stream, s.version, s.deleted "
           "FROM store_streams s "
           "JOIN unnest($1::text[], $2::text[]) AS k(tenant_id, stream) "
           "ON s.tenant_id = k.tenant_id AND s.stream = k.stream"},
          {kEventsById,
           "SELECT event_id::text, tenant_id, stream, stream_version, body "
           "FROM store_events WHERE event_id = ANY($1::uuid[])"},
          {kInsertEvents,
           "INSERT INTO store_events (position, tenant_id, stream, "
           "stream_version, event_id, event_type, timestamp_ms, body) "
           "SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], "
           "$4::bigint[], $5::uuid[], $6::text[], $7::bigint[], $8::json[])"},
          {kUpsertStreams,
           "INSERT INTO store_streams (tenant_id, stream, version) "
           "SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[]) "
           "ON CONFLICT (tenant_id, stream) "
           "DO UPDATE SET version = EXCLUDED.version"},
          {kNotify, "SELECT pg_notify($1, $2)"},
          // The head and the page come from one statement, so one snapshot:
          // a short page means "nothing visible up to head".
          {kReadAll,
           "SELECT h.position, e.position, e.body "
           "FROM (SELECT position FROM store_head LIMIT 1) h "
           "LEFT JOIN LATERAL (SELECT position, body FROM store_events "
           "WHERE position > $1 ORDER BY position LIMIT $2) e ON true "
           "ORDER BY e.position"},
          {kReadAllTenant,
           "SELECT h.position, e.position, e.body "
           "FROM (SELECT position FROM store_head LIMIT 1) h "
           "LEFT JOIN LATERAL (SELECT position, body FROM store_events "
           "WHERE tenant_id = $3 AND position > $1 ORDER BY position "
           "LIMIT $2) e ON true ORDER BY e.position"},
          {kStream,
           "SELECT version, deleted, max_age_ms, max_count, truncate_before "
           "FROM store_streams WHERE tenant_id = $1 AND stream = $2"},
          {kStreamForUpdate,
           "SELECT version, deleted FROM store_streams "
           "WHERE tenant_id = $1 AND stream = $2 FOR UPDATE"},
          {kReadForward,
           "SELECT body, timestamp_ms, stream_version FROM store_events "
           "WHERE tenant_id = $1 AND stream = $2 AND stream_version >= $3 "
           "AND stream_version <= $4 ORDER BY stream_version LIMIT $5"},
          {kReadBackward,
           "SELECT body, timestamp_ms, stream_version FROM store_events "
           "WHERE tenant_id = $1 AND stream = $2 AND stream_version <= $3 "
           "AND stream_version >= $4 ORDER BY stream_version DESC LIMIT $5"},
          {kMarkDeleted,
           "UPDATE store_streams SET deleted = true "
           "WHERE tenant_id = $1 AND stream = $2"},
          {kSetMetadata,
           "UPDATE store_streams SET max_age_ms = $3, max_count = $4, "
           "truncate_before = $5 "
           "WHERE tenant_id = $1 AND stream = $2 AND NOT deleted"},
          {kSaveSnapshot,
           "INSERT INTO store_snapshots (tenant_id, stream, stream_version, "
           "schema_version, state) VALUES ($1, $2, $3, $4, $5) "
           "ON CONFLICT (tenant_id, stream) DO UPDATE SET "
           "stream_version = EXCLUDED.stream_version, "
           "schema_version = EXCLUDED.schema_version, state = EXCLUDED.state "
           "WHERE store_snapshots.stream_version <= EXCLUDED.stream_version"},
          {kLoadSnapshot,
           "SELECT p.stream_version, p.schema_version, p.state "
           "FROM store_snapshots p JOIN store_streams s "
           "ON s.tenant_id = p.tenant_id AND s.stream = p.stream "
           "WHERE p.tenant_id = $1 AND p.stream = $2 AND NOT s.deleted"},
          {kDeleteSnapshot,
           "DELETE FROM store_snapshots WHERE tenant_id = $1 AND stream = $2"},
          {kScavengeDeleted,
           "WITH gone AS (DELETE FROM store_events e USING store_streams s "
           "WHERE s.deleted AND e.tenant_id = s.tenant_id "
           "AND e.stream = s.stream RETURNING e.tenant_id, e.stream) "
           "SELECT count(*), count(DISTINCT (tenant_id, stream)) FROM gone"},
          {kRetainedStreams,
           "SELECT tenant_id, stream, version, max_age_ms, max_count, "
           "truncate_before FROM store_streams WHERE NOT deleted AND "
           "(max_age_ms IS NOT NULL OR max_count IS NOT NULL "
           "OR truncate_before IS NOT NULL)"},
          {kScavengeStream,
           "DELETE FROM store_events WHERE tenant_id = $1 AND stream = $2 "
           "AND (stream_version < $3 OR timestamp_ms < $4)"},
      };
  return *kStatements;
}

core::Status Migrate(PgConnection& conn) {
  // Keyed by schema: stores in other schemas migrate independently.
  RETURN_IF_ERROR(
      conn.Run("SELECT pg_advisory_xact_lock(hashtext('stockpile_store'), "
               "hashtext(current_schema()))")
          .status());
  RETURN_IF_ERROR(conn.Run("CREATE TABLE IF NOT EXISTS store_schema_version "
                           "(version int NOT NULL)")
                      .status());
  ASSIGN_OR_RETURN(PgResult current,
                   conn.Run("SELECT coalesce(max(version), 0) "
                            "FROM store_schema_version"));
  const int64_t at = current.GetInt(0, 0);
  if (at > kSchemaVersion) {
    return core::FailedPreconditionError(
        "postgres: the event store schema is at version " + std::to_string(at) +
        ", newer than this build's " + std::to_string(kSchemaVersion) +
        "; upgrade Stockpile");
  }
  const auto& migrations = Migrations();
  for (int64_t v = at + 1; v <= kSchemaVersion; ++v) {
    RETURN_IF_ERROR(conn.Run(migrations[static_cast<size_t>(v - 1)])
                        .status()
                        .WithContext("migration " + std::to_string(v)));
    RETURN_IF_ERROR(conn.Run("INSERT INTO store_schema_version VALUES (" +
                             std::to_string(v) + ")")
                        .status());
  }
  return core::Status::Ok();
}

}  // namespace

core::Status MigrateSchema(PgConnection& conn) {
  RETURN_IF_ERROR(conn.Run("BEGIN").status());
  core::Status s = Migrate(conn);
  if (!s.ok()) {
    if (!conn.broken()) conn.Run("ROLLBACK").status().IgnoreError();
    return s;
  }
  return conn.Run("COMMIT").status();
}

core::Status PrepareStatements(PgConnection& conn) {
  // The store's statements are short index lookups; JIT compilation would
  // only add hundreds of milliseconds to the occasional larger page.
  RETURN_IF_ERROR(conn.Run("SET jit = off").status());
  for (const auto& [name, sql] : Statements()) {
    RETURN_IF_ERROR(conn.Prepare(name, sql));
  }
  return core::Status::Ok();
}

core::Result<std::string> NotifyChannel(PgConnection& conn) {
  ASSIGN_OR_RETURN(
      PgResult r,
      conn.Run("SELECT 'stockpile_' || left(md5(current_schema()), 16)"));
  return std::string(r.Get(0, 0));
}

}  // namespace stockpile::store::pg
