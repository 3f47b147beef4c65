// Opening, reads and subscriptions of the SQLite event store. Writes are in
// sqlite_event_store_writes.cc.
#include "store/sqlite_event_store.h"

#include <algorithm>
#include <utility>

#include "core/event_codec.h"
#include "core/status_macros.h"
#include "store/append_validation.h"
#include "store/catch_up_subscription.h"
#include "store/sqlite_event_store_impl.h"
#include "store/sqlite_schema.h"
#include "store/stream_retention.h"

namespace stockpile::store {

namespace {

// How many rows one filtered ReadAll examines beyond `max` at most.
constexpr size_t kMaxScan = 65536;

core::Status ParseObject(core::JsonParser& parser, std::string_view text,
                         int64_t position, const char* what,
                         boost::json::object& out) {
  core::Result<boost::json::value> v = parser.Parse(text);
  if (!v.ok() || !v->is_object()) {
    return core::InternalError("stored " + std::string(what) + " at position " +
                               std::to_string(position) +
                               " is not a JSON object");
  }
  out = std::move(v->get_object());
  return core::Status::Ok();
}

core::Status NoStream(std::string_view stream) {
  return core::NotFoundError("stream '" + std::string(stream) + "' not found");
}

std::optional<int64_t> OptionalInt(const ScopedStatement& st, int column) {
  if (st.IsNull(column)) return std::nullopt;
  return st.Int(column);
}

}  // namespace

core::Result<core::EventPtr> RowToEvent(const ScopedStatement& row,
                                        core::JsonParser& parser) {
  auto e = std::make_shared<core::Event>();
  e->position = row.Int(0);
  e->stream_version = row.Int(1);
  e->event_id = row.Text(2);
  e->event_type = row.Text(3);
  e->tenant_id = row.Text(4);
  e->aggregate_type = row.Text(5);
  e->aggregate_id = row.Text(6);
  e->timestamp_ms = row.Int(7);
  e->version = static_cast<int>(row.Int(8));
  RETURN_IF_ERROR(
      ParseObject(parser, row.Text(9), e->position, "payload", e->payload));
  RETURN_IF_ERROR(
      ParseObject(parser, row.Text(10), e->position, "metadata", e->metadata));
  return core::EventPtr(std::move(e));
}

class SqliteEventStoreImpl::Reader {
 public:
  Reader(SqliteEventStoreImpl* store, std::unique_ptr<SqliteDb> db)
      : store_(store), db_(std::move(db)) {}
  Reader(Reader&&) = default;
  ~Reader() {
    if (db_ == nullptr) return;
    std::lock_guard<std::mutex> lock(store_->pool_mu_);
    store_->pool_.push_back(std::move(db_));
  }
  SqliteDb& db() { return *db_; }

 private:
  SqliteEventStoreImpl* store_;
  std::unique_ptr<SqliteDb> db_;
};

core::Result<std::unique_ptr<SqliteEventStore>> SqliteEventStore::Open(
    const std::string& path, EventStoreOptions options) {
  auto store = std::make_unique<SqliteEventStoreImpl>(path, std::move(options));
  RETURN_IF_ERROR(store->Init());
  return std::unique_ptr<SqliteEventStore>(std::move(store));
}

SqliteEventStoreImpl::SqliteEventStoreImpl(std::string path,
                                           EventStoreOptions options)
    : path_(std::move(path)),
      options_(std::move(options)),
      clock_(options_.clock ? *options_.clock : system_clock_) {}

SqliteEventStoreImpl::~SqliteEventStoreImpl() { writer_.reset(); }

core::Status SqliteEventStoreImpl::Init() {
  ASSIGN_OR_RETURN(
      std::unique_ptr<SqliteDb> db,
      SqliteDb::Open(path_, SqliteDb::kReadWrite, SqliteDb::kBuffered));
  RETURN_IF_ERROR(MigrateSqliteSchema(*db));
  RETURN_IF_ERROR(ReloadWriterState(*db));
  committed_head_.store(head_);
  recent_events_ = std::make_unique<RecentEvents>(kRecentEvents, head_);
  SqliteWriter::Hooks hooks;
  hooks.before_commit = [this](SqliteDb& wdb) {
    auto st = wdb.Prepare("UPDATE log_head SET position = ?1 WHERE id = 1");
    if (!st.ok()) return st.status();
    return st->Bind(1, head_).Run();
  };
  hooks.after_commit = [this] {
    committed_versions_.Publish();
    recent_events_->Publish(head_);
    committed_head_.store(head_);
    signal_.Notify();
  };
  hooks.after_rollback = [this](SqliteDb& wdb) {
    committed_versions_.RolledBack();
    recent_events_->RolledBack();
    // A failure here leaves the cache empty and head_ as it was, which the
    // next batch's BEGIN re-reads from disk anyway.
    ReloadWriterState(wdb).IgnoreError();
  };
  writer_ = std::make_unique<SqliteWriter>(std::move(db), std::move(hooks));
  return core::Status::Ok();
}

core::Result<SqliteEventStoreImpl::Reader>
SqliteEventStoreImpl::AcquireReader() {
  {
    std::lock_guard<std::mutex> lock(pool_mu_);
    if (!pool_.empty()) {
      std::unique_ptr<SqliteDb> db = std::move(pool_.back());
      pool_.pop_back();
      return Reader(this, std::move(db));
    }
  }
  ASSIGN_OR_RETURN(std::unique_ptr<SqliteDb> db,
                   SqliteDb::Open(path_, SqliteDb::kReadWrite));
  return Reader(this, std::move(db));
}

core::Result<std::optional<SqliteEventStoreImpl::StreamRow>>
SqliteEventStoreImpl::LoadStreamRow(SqliteDb& db, std::string_view tenant,
                                    std::string_view stream) {
  ASSIGN_OR_RETURN(
      ScopedStatement st,
      db.Prepare("SELECT id, version, deleted, max_age_ms, max_count, "
                 "truncate_before FROM streams WHERE tenant = ?1 AND "
                 "name = ?2"));
  st.Bind(1, tenant).Bind(2, stream);
  ASSIGN_OR_RETURN(bool found, st.Step());
  if (!found) return std::optional<StreamRow>();
  StreamRow row;
  row.id = st.Int(0);
  row.version = st.Int(1);
  row.deleted = st.Int(2) != 0;
  row.metadata.max_age_ms = OptionalInt(st, 3);
  row.metadata.max_count = OptionalInt(st, 4);
  row.metadata.truncate_before = OptionalInt(st, 5);
  return std::optional<StreamRow>(row);
}

core::Result<SqliteEventStoreImpl::StreamRow>
SqliteEventStoreImpl::LoadLiveStream(SqliteDb& db, std::string_view tenant,
                                     std::string_view stream) {
  RETURN_IF_ERROR(ValidateStreamRef(tenant, stream));
  ASSIGN_OR_RETURN(std::optional<StreamRow> row,
                   LoadStreamRow(db, tenant, stream));
  if (!row || row->deleted) return NoStream(stream);
  return *row;
}

core::Result<std::vector<core::EventPtr>> SqliteEventStoreImpl::ReadStreamRange(
    SqliteDb& db, const StreamRow& row, int64_t from_version, size_t max,
    Direction direction) {
  static const std::string kForward =
      std::string("SELECT ") + kEventColumns +
      " FROM events WHERE stream_id = ?1 AND stream_version >= ?2 "
      "ORDER BY stream_version LIMIT ?3";
  static const std::string kBackward =
      std::string("SELECT ") + kEventColumns +
      " FROM events WHERE stream_id = ?1 AND stream_version <= ?2 AND "
      "stream_version >= ?4 ORDER BY stream_version DESC LIMIT ?3";
  const int64_t first = FirstRetainedVersion(row.metadata, row.version);
  const bool forward = direction == Direction::kForward;
  ASSIGN_OR_RETURN(ScopedStatement st,
                   db.Prepare(forward ? kForward : kBackward));
  st.Bind(1, row.id)
      .Bind(2, forward ? std::max(from_version, first) : from_version)
      .Bind(3, static_cast<int64_t>(std::min<size_t>(max, INT64_MAX)));
  if (!forward) st.Bind(4, first);
  const int64_t now = row.metadata.max_age_ms ? clock_.NowMillis() : int64_t{0};
  std::vector<core::EventPtr> out;
  core::JsonParser parser(core::kStoredJsonLimits);
  while (true) {
    ASSIGN_OR_RETURN(bool has_row, st.Step());
    if (!has_row) break;
    if (IsExpired(row.metadata, st.Int(7), now)) continue;
    ASSIGN_OR_RETURN(core::EventPtr e, RowToEvent(st, parser));
    out.push_back(std::move(e));
  }
  RETURN_IF_ERROR(options_.upcasters.UpcastAll(out));
  return out;
}

core::Result<std::vector<core::EventPtr>> SqliteEventStoreImpl::ReadStream(
    std::string_view tenant, std::string_view stream, int64_t from_version,
    size_t max, Direction direction) {
  ASSIGN_OR_RETURN(Reader reader, AcquireReader());
  ASSIGN_OR_RETURN(StreamRow row, LoadLiveStream(reader.db(), tenant, stream));
  return ReadStreamRange(reader.db(), row, from_version, max, direction);
}

core::Result<int64_t> SqliteEventStoreImpl::StreamVersion(
    std::string_view tenant, std::string_view stream) {
  if (std::optional<int64_t> v =
          committed_versions_.Find(StreamKey(tenant, stream))) {
    return *v;
  }
  ASSIGN_OR_RETURN(Reader reader, AcquireReader());
  ASSIGN_OR_RETURN(StreamRow row, LoadLiveStream(reader.db(), tenant, stream));
  return row.version;
}

core::Result<ReadAllResult> SqliteEventStoreImpl::ReadAll(
    int64_t after_position, size_t max, const ReadFilter& filter) {
  ASSIGN_OR_RETURN(EventFilter f, EventFilter::Make(filter));
  return ReadAllFiltered(after_position, max, f);
}

core::Result<ReadAllResult> SqliteEventStoreImpl::ReadAllFiltered(
    int64_t after, size_t max, const EventFilter& filter) {
  static const std::string kSql =
      std::string("SELECT ") + kEventColumns +
      " FROM events WHERE position > ?1 ORDER BY position LIMIT ?2";
  const bool everything = filter.all_tenants() && filter.all_types();
  const size_t scan = everything ? max : max + kMaxScan;
  if (std::optional<ReadAllResult> recent =
          recent_events_->Read(after, max, scan, filter)) {
    RETURN_IF_ERROR(options_.upcasters.UpcastAll(recent->events));
    return std::move(recent).value();
  }
  ReadAllResult result;
  result.last_scanned_position = after;
  // Growing the vector page by page frees large blocks, each of which makes
  // malloc consolidate its free lists (measured: 3% of a replay); a page
  // holds no more than the log has after `after`.
  const int64_t available =
      std::max<int64_t>(committed_head_.load() - after, 0);
  result.events.reserve(
      std::min<size_t>({max, kMaxScan, static_cast<size_t>(available)}));
  {
    ASSIGN_OR_RETURN(Reader reader, AcquireReader());
    ASSIGN_OR_RETURN(ScopedStatement st, reader.db().Prepare(kSql));
    st.Bind(1, after).Bind(2, static_cast<int64_t>(scan));
    core::JsonParser parser(core::kStoredJsonLimits);
    while (result.events.size() < max) {
      ASSIGN_OR_RETURN(bool has_row, st.Step());
      if (!has_row) break;
      result.last_scanned_position = st.Int(0);
      if (!filter.Matches(st.Text(4), st.Text(3))) continue;
      ASSIGN_OR_RETURN(core::EventPtr e, RowToEvent(st, parser));
      result.events.push_back(std::move(e));
    }
  }
  RETURN_IF_ERROR(options_.upcasters.UpcastAll(result.events));
  return result;
}

core::Result<int64_t> SqliteEventStoreImpl::HeadPosition() {
  return committed_head_.load();
}

core::Result<std::unique_ptr<Subscription>> SqliteEventStoreImpl::SubscribeAll(
    int64_t after_position, ReadFilter filter, EventHandler handler) {
  ASSIGN_OR_RETURN(EventFilter f, EventFilter::Make(filter));
  PageReader reader = [this, f = std::move(f)](
                          int64_t cursor,
                          size_t max) -> core::Result<SubscriptionPage> {
    ASSIGN_OR_RETURN(ReadAllResult page, ReadAllFiltered(cursor, max, f));
    return SubscriptionPage{std::move(page.events), page.last_scanned_position};
  };
  return CatchUpSubscription::Start(
      signal_, CatchUpSubscription::Cursor::kPosition, std::move(reader),
      after_position, std::move(handler));
}

core::Result<std::unique_ptr<Subscription>>
SqliteEventStoreImpl::SubscribeStream(std::string_view tenant,
                                      std::string_view stream,
                                      int64_t after_version,
                                      EventHandler handler) {
  RETURN_IF_ERROR(ValidateStreamRef(tenant, stream));
  PageReader reader =
      [this, tenant = std::string(tenant), name = std::string(stream)](
          int64_t cursor, size_t max) -> core::Result<SubscriptionPage> {
    SubscriptionPage page{{}, cursor};
    ASSIGN_OR_RETURN(Reader r, AcquireReader());
    ASSIGN_OR_RETURN(std::optional<StreamRow> row,
                     LoadStreamRow(r.db(), tenant, name));
    if (!row) return page;  // not created yet
    if (row->deleted) return NoStream(name);
    ASSIGN_OR_RETURN(page.events, ReadStreamRange(r.db(), *row, cursor + 1, max,
                                                  Direction::kForward));
    if (!page.events.empty()) {
      page.next_cursor = page.events.back()->stream_version;
    }
    return page;
  };
  return CatchUpSubscription::Start(
      signal_, CatchUpSubscription::Cursor::kStreamVersion, std::move(reader),
      after_version, std::move(handler));
}

core::Result<StreamMetadata> SqliteEventStoreImpl::GetStreamMetadata(
    std::string_view tenant, std::string_view stream) {
  ASSIGN_OR_RETURN(Reader reader, AcquireReader());
  ASSIGN_OR_RETURN(StreamRow row, LoadLiveStream(reader.db(), tenant, stream));
  return row.metadata;
}

core::Result<Snapshot> SqliteEventStoreImpl::LoadSnapshot(
    std::string_view tenant, std::string_view stream) {
  RETURN_IF_ERROR(ValidateStreamRef(tenant, stream));
  ASSIGN_OR_RETURN(Reader reader, AcquireReader());
  ASSIGN_OR_RETURN(
      ScopedStatement st,
      reader.db().Prepare(
          "SELECT s.stream_version, s.schema_version, s.state FROM snapshots "
          "s JOIN streams t ON t.id = s.stream_id WHERE t.tenant = ?1 AND "
          "t.name = ?2 AND t.deleted = 0"));
  st.Bind(1, tenant).Bind(2, stream);
  ASSIGN_OR_RETURN(bool found, st.Step());
  if (!found) {
    return core::NotFoundError("stream '" + std::string(stream) +
                               "' has no snapshot");
  }
  Snapshot snap;
  snap.stream_version = st.Int(0);
  snap.schema_version = static_cast<int>(st.Int(1));
  core::JsonParser parser(core::kStoredJsonLimits);
  RETURN_IF_ERROR(ParseObject(parser, st.Text(2), snap.stream_version,
                              "snapshot", snap.state));
  return snap;
}

}  // namespace stockpile::store
