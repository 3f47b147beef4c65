// Everything the SQLite event store does on its writer thread: appends,
// deletion, metadata, snapshots, scavenge and Transact(). Each public call
// validates on the caller's thread, then submits a work item to the
// group-commit writer (sqlite_writer.h) and waits for the durable commit.
#include <limits>
#include <utility>

#include "core/json_text.h"
#include "core/status_macros.h"
#include "store/append_validation.h"
#include "store/sqlite_event_store_impl.h"
#include "store/stream_retention.h"

namespace stockpile::store {

namespace {

// Bounds the writer's stream cache; it is refilled from the database.

core::Status Deleted(std::string_view stream) {
  return core::FailedPreconditionError("stream '" + std::string(stream) +
                                       "' is deleted");
}

core::Status Missing(std::string_view stream) {
  return core::NotFoundError("stream '" + std::string(stream) + "' not found");
}

// A storage failure after writing began: the whole batch must roll back.
core::Status Abort(WriteContext& ctx, core::Status s) {
  ctx.abort_batch = true;
  return s;
}

class TransactionImpl final : public SqliteTransaction {
 public:
  TransactionImpl(SqliteEventStoreImpl& store, WriteContext& ctx,
                  const EventStoreOptions& options)
      : store_(store), ctx_(ctx), options_(options) {}
  SqliteDb& db() override { return ctx_.db; }
  core::Result<AppendResult> Append(std::string_view tenant,
                                    std::string_view stream,
                                    ExpectedVersion expected,
                                    std::vector<core::Event> events) override {
    RETURN_IF_ERROR(ValidateAppend(tenant, stream, events, options_.limits));
    AppendResult out;
    RETURN_IF_ERROR(
        store_.AppendInTxn(ctx_, tenant, stream, expected, events, out));
    RETURN_IF_ERROR(options_.upcasters.UpcastAll(out.events));
    return out;
  }

 private:
  SqliteEventStoreImpl& store_;
  WriteContext& ctx_;
  const EventStoreOptions& options_;
};

}  // namespace

core::Status SqliteEventStoreImpl::ReloadWriterState(SqliteDb& db) {
  stream_cache_.clear();
  ASSIGN_OR_RETURN(
      ScopedStatement st,
      db.Prepare("SELECT MAX((SELECT position FROM log_head WHERE id = 1), "
                 "COALESCE((SELECT MAX(position) FROM events), 0))"));
  ASSIGN_OR_RETURN(bool row, st.Step());
  head_ = row ? st.Int(0) : 0;
  return core::Status::Ok();
}

core::Result<SqliteEventStoreImpl::CachedStream*>
SqliteEventStoreImpl::LookupStream(SqliteDb& db, std::string_view tenant,
                                   std::string_view stream) {
  std::string key = StreamKey(tenant, stream);
  if (auto it = stream_cache_.find(key); it != stream_cache_.end()) {
    return &it->second;
  }
  ASSIGN_OR_RETURN(std::optional<StreamRow> row,
                   LoadStreamRow(db, tenant, stream));
  if (!row) return static_cast<CachedStream*>(nullptr);
  if (stream_cache_.size() >= kMaxCachedStreams) stream_cache_.clear();
  auto [it, inserted] = stream_cache_.emplace(
      std::move(key), CachedStream{row->id, row->version, row->deleted});
  return &it->second;
}

core::Status SqliteEventStoreImpl::ReplayedAppend(
    SqliteDb& db, const CachedStream& s, std::string_view stream,
    int64_t version, const std::vector<core::Event>& events,
    AppendResult& out) {
  static const std::string kSql =
      std::string("SELECT ") + kEventColumns +
      " FROM events WHERE stream_id = ?1 AND stream_version >= ?2 ORDER BY "
      "stream_version LIMIT ?3";
  ASSIGN_OR_RETURN(ScopedStatement st, db.Prepare(kSql));
  st.Bind(1, s.id)
      .Bind(2, version)
      .Bind(3, static_cast<int64_t>(events.size()));
  core::JsonParser parser(core::kStoredJsonLimits);
  for (const core::Event& e : events) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row || st.Text(2) != e.event_id) {
      return core::ConflictError(
          "batch partly overlaps events already in stream '" +
          std::string(stream) + "' (event " + e.event_id + ")");
    }
    ASSIGN_OR_RETURN(core::EventPtr stored, RowToEvent(st, parser));
    out.events.push_back(std::move(stored));
  }
  return core::Status::Ok();
}

core::Status SqliteEventStoreImpl::AppendInTxn(WriteContext& ctx,
                                               std::string_view tenant,
                                               std::string_view stream,
                                               ExpectedVersion expected,
                                               std::vector<core::Event>& events,
                                               AppendResult& out) {
  SqliteDb& db = ctx.db;
  ASSIGN_OR_RETURN(CachedStream * s, LookupStream(db, tenant, stream));
  if (s != nullptr && s->deleted) return Deleted(stream);
  // Idempotency, all checked before anything is written: the first event
  // already in this stream makes the call a retried append, answered with
  // what it stored; any other stored id (eventIds are unique in the whole
  // log: consumer inboxes rely on it) is a conflict. The index is on the
  // id alone: UUIDv7 ids arrive in time order, so it grows at its end, one
  // page per commit, where an index per stream dirtied a page per stream.
  {
    ASSIGN_OR_RETURN(ScopedStatement st,
                     db.Prepare("SELECT stream_id, stream_version FROM events "
                                "WHERE event_id = ?1"));
    for (size_t i = 0; i < events.size(); ++i) {
      st.Bind(1, events[i].event_id);
      ASSIGN_OR_RETURN(bool seen, st.Step());
      if (!seen) {
        st.Reset();
        continue;
      }
      const bool here = s != nullptr && st.Int(0) == s->id;
      if (here && i == 0) {
        return ReplayedAppend(db, *s, stream, st.Int(1), events, out);
      }
      return core::ConflictError(
          here
              ? "batch partly overlaps events already in stream '" +
                    std::string(stream) + "' (event " + events[i].event_id + ")"
              : "event " + events[i].event_id +
                    " is already stored in another stream");
    }
  }
  const int64_t actual = s == nullptr ? 0 : s->version;
  if (!expected.Matches(actual)) {
    return VersionConflict(stream, actual, expected);
  }
  if (s == nullptr) {
    ASSIGN_OR_RETURN(ScopedStatement st,
                     db.Prepare("INSERT INTO streams (tenant, name, version) "
                                "VALUES (?1, ?2, 0)"));
    st.Bind(1, tenant).Bind(2, stream);
    if (core::Status r = st.Run(); !r.ok()) return Abort(ctx, r);
    if (stream_cache_.size() >= kMaxCachedStreams) stream_cache_.clear();
    auto [it, inserted] =
        stream_cache_.emplace(StreamKey(tenant, stream),
                              CachedStream{db.LastInsertRowid(), 0, false});
    s = &it->second;
  }
  ASSIGN_OR_RETURN(
      ScopedStatement insert,
      db.Prepare("INSERT INTO events (position, stream_id, stream_version, "
                 "event_id, event_type, tenant, aggregate_type, aggregate_id, "
                 "timestamp_ms, version, payload, metadata) VALUES (?1, ?2, "
                 "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"));
  std::string payload, metadata;
  int64_t version = s->version;
  for (core::Event& e : events) {
    e.position = ++head_;
    e.stream_version = ++version;
    payload.clear();
    metadata.clear();
    core::AppendJsonObject(e.payload, payload);
    core::AppendJsonObject(e.metadata, metadata);
    insert.Bind(1, e.position)
        .Bind(2, s->id)
        .Bind(3, e.stream_version)
        .Bind(4, e.event_id)
        .Bind(5, e.event_type)
        .Bind(6, e.tenant_id)
        .Bind(7, e.aggregate_type)
        .Bind(8, e.aggregate_id)
        .Bind(9, e.timestamp_ms)
        .Bind(10, static_cast<int64_t>(e.version))
        .Bind(11, payload)
        .Bind(12, metadata);
    core::Status r = insert.Run();
    insert.Reset();
    if (!r.ok()) return Abort(ctx, r);
  }
  ASSIGN_OR_RETURN(ScopedStatement update,
                   db.Prepare("UPDATE streams SET version = ?1 WHERE id = ?2"));
  update.Bind(1, version).Bind(2, s->id);
  if (core::Status r = update.Run(); !r.ok()) return Abort(ctx, r);
  s->version = version;
  committed_versions_.Stage(StreamKey(tenant, stream), version);
  for (core::Event& e : events) {
    out.events.push_back(std::make_shared<const core::Event>(std::move(e)));
    recent_events_->Stage(out.events.back());
  }
  return core::Status::Ok();
}

core::Result<AppendResult> SqliteEventStoreImpl::Append(
    std::string_view tenant, std::string_view stream, ExpectedVersion expected,
    std::vector<core::Event> events) {
  RETURN_IF_ERROR(ValidateAppend(tenant, stream, events, options_.limits));
  AppendResult out;
  RETURN_IF_ERROR(writer_->Submit([&](WriteContext& ctx) {
    return AppendInTxn(ctx, tenant, stream, expected, events, out);
  }));
  out.first_position = out.events.front()->position;
  out.last_position = out.events.back()->position;
  out.stream_version = out.events.back()->stream_version;
  RETURN_IF_ERROR(options_.upcasters.UpcastAll(out.events));
  return out;
}

core::Status SqliteEventStoreImpl::DeleteStream(std::string_view tenant,
                                                std::string_view stream,
                                                ExpectedVersion expected) {
  RETURN_IF_ERROR(ValidateStreamRef(tenant, stream));
  return writer_->Submit([&](WriteContext& ctx) -> core::Status {
    ASSIGN_OR_RETURN(CachedStream * s, LookupStream(ctx.db, tenant, stream));
    if (s == nullptr || s->deleted) return Missing(stream);
    if (!expected.Matches(s->version)) {
      return VersionConflict(stream, s->version, expected);
    }
    ASSIGN_OR_RETURN(ScopedStatement st,
                     ctx.db.Prepare("UPDATE streams SET deleted = 1 WHERE "
                                    "id = ?1"));
    if (core::Status r = st.Bind(1, s->id).Run(); !r.ok()) {
      return Abort(ctx, r);
    }
    ASSIGN_OR_RETURN(ScopedStatement snap,
                     ctx.db.Prepare("DELETE FROM snapshots WHERE "
                                    "stream_id = ?1"));
    if (core::Status r = snap.Bind(1, s->id).Run(); !r.ok()) {
      return Abort(ctx, r);
    }
    s->deleted = true;
    committed_versions_.Forget(StreamKey(tenant, stream));
    return core::Status::Ok();
  });
}

core::Status SqliteEventStoreImpl::SetStreamMetadata(
    std::string_view tenant, std::string_view stream,
    const StreamMetadata& metadata) {
  RETURN_IF_ERROR(ValidateStreamRef(tenant, stream));
  return writer_->Submit([&](WriteContext& ctx) -> core::Status {
    ASSIGN_OR_RETURN(
        ScopedStatement st,
        ctx.db.Prepare("UPDATE streams SET max_age_ms = ?3, max_count = ?4, "
                       "truncate_before = ?5 WHERE tenant = ?1 AND name = ?2 "
                       "AND deleted = 0"));
    st.Bind(1, tenant).Bind(2, stream);
    const std::optional<int64_t>* fields[] = {
        &metadata.max_age_ms, &metadata.max_count, &metadata.truncate_before};
    for (int i = 0; i < 3; ++i) {
      if (*fields[i]) {
        st.Bind(i + 3, **fields[i]);
      } else {
        st.BindNull(i + 3);
      }
    }
    if (core::Status r = st.Run(); !r.ok()) return Abort(ctx, r);
    return ctx.db.Changes() == 0 ? Missing(stream) : core::Status::Ok();
  });
}

core::Status SqliteEventStoreImpl::SaveSnapshot(std::string_view tenant,
                                                std::string_view stream,
                                                const Snapshot& snapshot) {
  RETURN_IF_ERROR(ValidateStreamRef(tenant, stream));
  std::string state;
  core::AppendJsonObject(snapshot.state, state);
  return writer_->Submit([&](WriteContext& ctx) -> core::Status {
    ASSIGN_OR_RETURN(CachedStream * s, LookupStream(ctx.db, tenant, stream));
    if (s == nullptr || s->deleted) return Missing(stream);
    if (snapshot.stream_version < 1 || snapshot.stream_version > s->version) {
      return core::InvalidArgumentError(
          "snapshot version " + std::to_string(snapshot.stream_version) +
          " is outside stream '" + std::string(stream) + "' (version " +
          std::to_string(s->version) + ")");
    }
    ASSIGN_OR_RETURN(
        ScopedStatement st,
        ctx.db.Prepare(
            "INSERT INTO snapshots VALUES (?1, ?2, ?3, ?4) ON CONFLICT "
            "(stream_id) DO UPDATE SET stream_version = excluded."
            "stream_version, schema_version = excluded.schema_version, "
            "state = excluded.state WHERE excluded.stream_version >= "
            "snapshots.stream_version"));
    st.Bind(1, s->id)
        .Bind(2, snapshot.stream_version)
        .Bind(3, static_cast<int64_t>(snapshot.schema_version))
        .Bind(4, state);
    if (core::Status r = st.Run(); !r.ok()) return Abort(ctx, r);
    return core::Status::Ok();
  });
}

core::Result<ScavengeResult> SqliteEventStoreImpl::Scavenge() {
  ScavengeResult result;
  const int64_t now = clock_.NowMillis();
  RETURN_IF_ERROR(writer_->Submit([&](WriteContext& ctx) -> core::Status {
    // Events it deletes must not be read back from memory either.
    recent_events_->Reset();
    struct Target {
      int64_t id;
      bool deleted;
      int64_t first_version;
      int64_t oldest_ms;
    };
    std::vector<Target> targets;
    {
      ASSIGN_OR_RETURN(
          ScopedStatement st,
          ctx.db.Prepare("SELECT id, deleted, version, max_age_ms, max_count, "
                         "truncate_before FROM streams WHERE deleted = 1 OR "
                         "max_age_ms IS NOT NULL OR max_count IS NOT NULL OR "
                         "truncate_before IS NOT NULL"));
      while (true) {
        ASSIGN_OR_RETURN(bool row, st.Step());
        if (!row) break;
        StreamMetadata m;
        if (!st.IsNull(3)) m.max_age_ms = st.Int(3);
        if (!st.IsNull(4)) m.max_count = st.Int(4);
        if (!st.IsNull(5)) m.truncate_before = st.Int(5);
        const bool deleted = st.Int(1) != 0;
        targets.push_back({st.Int(0), deleted,
                           deleted ? std::numeric_limits<int64_t>::max()
                                   : FirstRetainedVersion(m, st.Int(2)),
                           m.max_age_ms ? now - *m.max_age_ms
                                        : std::numeric_limits<int64_t>::min()});
      }
    }
    ASSIGN_OR_RETURN(
        ScopedStatement del,
        ctx.db.Prepare("DELETE FROM events WHERE stream_id = ?1 AND "
                       "(stream_version < ?2 OR timestamp_ms < ?3)"));
    for (const Target& t : targets) {
      del.Bind(1, t.id).Bind(2, t.first_version).Bind(3, t.oldest_ms);
      core::Status r = del.Run();
      del.Reset();
      if (!r.ok()) return Abort(ctx, r);
      const int64_t removed = ctx.db.Changes();
      result.events_removed += removed;
      if (t.deleted && removed > 0) ++result.streams_removed;
    }
    // Returns the freed pages to the file system (auto_vacuum=INCREMENTAL).
    return ctx.db.Exec("PRAGMA incremental_vacuum");
  }));
  return result;
}

core::Status SqliteEventStoreImpl::Transact(
    std::function<core::Status(SqliteTransaction& tx)> work) {
  return writer_->Submit(
      [&](WriteContext& ctx) {
        TransactionImpl tx(*this, ctx, options_);
        return work(tx);
      },
      /*savepoint=*/true);
}

}  // namespace stockpile::store
