#include "store/postgres_event_store.h"

#include <boost/json/serialize.hpp>
#include <limits>
#include <optional>
#include <utility>

#include "core/event_codec.h"
#include "core/status_macros.h"
#include "store/append_validation.h"
#include "store/catch_up_subscription.h"
#include "store/commit_signal.h"
#include "store/event_filter.h"
#include "store/pg_append_writer.h"
#include "store/pg_connection_pool.h"
#include "store/pg_notify_listener.h"
#include "store/pg_schema.h"
#include "store/stream_retention.h"

namespace stockpile::store {

namespace {

// How many log entries one ReadAll examines at most, so a sparse filter
// answers promptly (last_scanned_position tells where it stopped).
constexpr int64_t kMaxScan = 65536;
// Rows fetched per query when a type filter may drop most of them.
constexpr int64_t kFilteredPage = 1024;

// One row of store_streams.
struct StreamRow {
  int64_t version = 0;
  bool deleted = false;
  StreamMetadata metadata;
};

std::string Str(int64_t n) { return std::to_string(n); }

std::optional<std::string> OptStr(const std::optional<int64_t>& n) {
  if (!n) return std::nullopt;
  return std::to_string(*n);
}

core::Status NoStream(std::string_view stream) {
  return core::NotFoundError("stream '" + std::string(stream) + "' not found");
}

class PostgresEventStore final : public EventStore {
 public:
  PostgresEventStore(EventStoreOptions options, const std::string& url,
                     size_t pool_size)
      : options_(std::move(options)),
        clock_(options_.clock ? *options_.clock : system_clock_),
        decode_limits_(DecodeLimits(options_.limits)),
        pool_(url, pool_size, pg::PrepareStatements) {}

  // Second construction step: the parts that can fail.
  core::Status Open(const std::string& url) {
    ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> setup,
                     PgConnection::Connect(url));
    RETURN_IF_ERROR(pg::MigrateSchema(*setup));
    ASSIGN_OR_RETURN(channel_, pg::NotifyChannel(*setup));
    ASSIGN_OR_RETURN(listener_,
                     PgNotifyListener::Start(url, channel_, signal_));
    ASSIGN_OR_RETURN(
        writer_, PgAppendWriter::Start(url, channel_, signal_, decode_limits_));
    return core::Status::Ok();
  }

  core::Result<AppendResult> Append(std::string_view tenant,
                                    std::string_view stream,
                                    ExpectedVersion expected,
                                    std::vector<core::Event> events) override {
    RETURN_IF_ERROR(ValidateAppend(tenant, stream, events, options_.limits));
    ASSIGN_OR_RETURN(AppendResult result,
                     writer_->Append(PgAppendRequest{
                         std::string(tenant), std::string(stream), expected,
                         std::move(events)}));
    RETURN_IF_ERROR(options_.upcasters.UpcastAll(result.events));
    return result;
  }

  core::Result<std::vector<core::EventPtr>> ReadStream(
      std::string_view tenant, std::string_view stream, int64_t from_version,
      size_t max, Direction direction) override {
    RETURN_IF_ERROR(ValidateStreamRef(tenant, stream));
    ASSIGN_OR_RETURN(PgConnectionPool::Lease conn, pool_.Acquire());
    ASSIGN_OR_RETURN(std::optional<StreamRow> row,
                     LoadStream(*conn, tenant, stream));
    if (!row || row->deleted) return NoStream(stream);
    std::vector<core::EventPtr> out;
    RETURN_IF_ERROR(ReadRange(*conn, tenant, stream, *row, from_version, max,
                              direction, out));
    RETURN_IF_ERROR(options_.upcasters.UpcastAll(out));
    return out;
  }

  core::Result<int64_t> StreamVersion(std::string_view tenant,
                                      std::string_view stream) override {
    RETURN_IF_ERROR(ValidateStreamRef(tenant, stream));
    ASSIGN_OR_RETURN(PgConnectionPool::Lease conn, pool_.Acquire());
    ASSIGN_OR_RETURN(std::optional<StreamRow> row,
                     LoadStream(*conn, tenant, stream));
    if (!row || row->deleted) return NoStream(stream);
    return row->version;
  }

  core::Result<ReadAllResult> ReadAll(int64_t after_position, size_t max,
                                      const ReadFilter& filter) override {
    ASSIGN_OR_RETURN(EventFilter f, EventFilter::Make(filter));
    return ReadAllFiltered(after_position, max, f);
  }

  core::Result<int64_t> HeadPosition() override {
    ASSIGN_OR_RETURN(PgConnectionPool::Lease conn, pool_.Acquire());
    ASSIGN_OR_RETURN(PgResult r, conn->Execute(pg::kReadHead, {}));
    return r.GetInt(0, 0);
  }

  core::Result<std::unique_ptr<Subscription>> SubscribeAll(
      int64_t after_position, ReadFilter filter,
      EventHandler handler) override {
    ASSIGN_OR_RETURN(EventFilter f, EventFilter::Make(filter));
    PageReader reader = [this, f = std::move(f)](
                            int64_t cursor,
                            size_t max) -> core::Result<SubscriptionPage> {
      ASSIGN_OR_RETURN(ReadAllResult page, ReadAllFiltered(cursor, max, f));
      return SubscriptionPage{std::move(page.events),
                              page.last_scanned_position};
    };
    return CatchUpSubscription::Start(
        signal_, CatchUpSubscription::Cursor::kPosition, std::move(reader),
        after_position, std::move(handler));
  }

  core::Result<std::unique_ptr<Subscription>> SubscribeStream(
      std::string_view tenant, std::string_view stream, int64_t after_version,
      EventHandler handler) override {
    RETURN_IF_ERROR(ValidateStreamRef(tenant, stream));
    PageReader reader =
        [this, t = std::string(tenant), s = std::string(stream)](
            int64_t cursor, size_t max) -> core::Result<SubscriptionPage> {
      SubscriptionPage page{{}, cursor};
      ASSIGN_OR_RETURN(PgConnectionPool::Lease conn, pool_.Acquire());
      ASSIGN_OR_RETURN(std::optional<StreamRow> row, LoadStream(*conn, t, s));
      if (!row) return page;  // not created yet
      if (row->deleted) return NoStream(s);
      RETURN_IF_ERROR(ReadRange(*conn, t, s, *row, cursor + 1, max,
                                Direction::kForward, page.events));
      if (!page.events.empty()) {
        page.next_cursor = page.events.back()->stream_version;
      }
      RETURN_IF_ERROR(options_.upcasters.UpcastAll(page.events));
      return page;
    };
    return CatchUpSubscription::Start(
        signal_, CatchUpSubscription::Cursor::kStreamVersion, std::move(reader),
        after_version, std::move(handler));
  }

  core::Status DeleteStream(std::string_view tenant, std::string_view stream,
                            ExpectedVersion expected) override {
    RETURN_IF_ERROR(ValidateStreamRef(tenant, stream));
    ASSIGN_OR_RETURN(PgConnectionPool::Lease conn, pool_.Acquire());
    const std::string t(tenant), s(stream);
    // The head lock serializes the deletion with every append (they take
    // it first too), so no append slips in between check and tombstone.
    auto read = conn->Pipeline({{pg::kBegin, {}},
                                {pg::kLockHead, {}},
                                {pg::kStreamForUpdate, {t, s}}});
    core::Status outcome;
    if (!read.ok()) {
      outcome = read.status();
    } else if ((*read)[2].rows() == 0 || (*read)[2].GetBool(0, 1)) {
      outcome = NoStream(stream);
    } else if (const int64_t v = (*read)[2].GetInt(0, 0);
               !expected.Matches(v)) {
      outcome = VersionConflict(stream, v, expected);
    } else {
      outcome = conn->Pipeline({{pg::kMarkDeleted, {t, s}},
                                {pg::kDeleteSnapshot, {t, s}},
                                {pg::kNotify, {channel_, "deleted"}},
                                {pg::kCommit, {}}})
                    .status();
      if (outcome.ok()) {
        signal_.Notify();  // SubscribeStream ends with NotFound
        return outcome;
      }
    }
    if (!conn->broken())
      conn->Execute(pg::kRollback, {}).status().IgnoreError();
    return outcome;
  }

  core::Status SetStreamMetadata(std::string_view tenant,
                                 std::string_view stream,
                                 const StreamMetadata& metadata) override {
    RETURN_IF_ERROR(ValidateStreamRef(tenant, stream));
    ASSIGN_OR_RETURN(PgConnectionPool::Lease conn, pool_.Acquire());
    ASSIGN_OR_RETURN(
        PgResult r,
        conn->Execute(pg::kSetMetadata,
                      {std::string(tenant), std::string(stream),
                       OptStr(metadata.max_age_ms), OptStr(metadata.max_count),
                       OptStr(metadata.truncate_before)}));
    if (r.affected() == 0) return NoStream(stream);
    return core::Status::Ok();
  }

  core::Result<StreamMetadata> GetStreamMetadata(
      std::string_view tenant, std::string_view stream) override {
    RETURN_IF_ERROR(ValidateStreamRef(tenant, stream));
    ASSIGN_OR_RETURN(PgConnectionPool::Lease conn, pool_.Acquire());
    ASSIGN_OR_RETURN(std::optional<StreamRow> row,
                     LoadStream(*conn, tenant, stream));
    if (!row || row->deleted) return NoStream(stream);
    return row->metadata;
  }

  core::Result<ScavengeResult> Scavenge() override {
    ScavengeResult result;
    ASSIGN_OR_RETURN(PgConnectionPool::Lease conn, pool_.Acquire());
    ASSIGN_OR_RETURN(PgResult gone, conn->Execute(pg::kScavengeDeleted, {}));
    result.events_removed = gone.GetInt(0, 0);
    result.streams_removed = gone.GetInt(0, 1);
    ASSIGN_OR_RETURN(PgResult kept, conn->Execute(pg::kRetainedStreams, {}));
    const int64_t now = clock_.NowMillis();
    for (int i = 0; i < kept.rows(); ++i) {
      StreamMetadata meta{kept.GetOptionalInt(i, 3), kept.GetOptionalInt(i, 4),
                          kept.GetOptionalInt(i, 5)};
      const int64_t first = FirstRetainedVersion(meta, kept.GetInt(i, 2));
      const int64_t cutoff = meta.max_age_ms
                                 ? now - *meta.max_age_ms
                                 : std::numeric_limits<int64_t>::min();
      ASSIGN_OR_RETURN(
          PgResult removed,
          conn->Execute(pg::kScavengeStream, {std::string(kept.Get(i, 0)),
                                              std::string(kept.Get(i, 1)),
                                              Str(first), Str(cutoff)}));
      result.events_removed += removed.affected();
    }
    // Autovacuum returns the freed rows' space for reuse.
    return result;
  }

  core::Status SaveSnapshot(std::string_view tenant, std::string_view stream,
                            const Snapshot& snapshot) override {
    RETURN_IF_ERROR(ValidateStreamRef(tenant, stream));
    ASSIGN_OR_RETURN(PgConnectionPool::Lease conn, pool_.Acquire());
    ASSIGN_OR_RETURN(std::optional<StreamRow> row,
                     LoadStream(*conn, tenant, stream));
    if (!row || row->deleted) return NoStream(stream);
    if (snapshot.stream_version < 1 || snapshot.stream_version > row->version) {
      return core::InvalidArgumentError(
          "snapshot version " + Str(snapshot.stream_version) +
          " is outside stream '" + std::string(stream) + "' (version " +
          Str(row->version) + ")");
    }
    return conn
        ->Execute(pg::kSaveSnapshot,
                  {std::string(tenant), std::string(stream),
                   Str(snapshot.stream_version), Str(snapshot.schema_version),
                   boost::json::serialize(snapshot.state)})
        .status();
  }

  core::Result<Snapshot> LoadSnapshot(std::string_view tenant,
                                      std::string_view stream) override {
    RETURN_IF_ERROR(ValidateStreamRef(tenant, stream));
    ASSIGN_OR_RETURN(PgConnectionPool::Lease conn, pool_.Acquire());
    ASSIGN_OR_RETURN(PgResult r,
                     conn->Execute(pg::kLoadSnapshot,
                                   {std::string(tenant), std::string(stream)}));
    if (r.rows() == 0) {
      return core::NotFoundError("stream '" + std::string(stream) +
                                 "' has no snapshot");
    }
    core::Result<boost::json::value> state =
        core::ParseJson(r.Get(0, 2), core::kStoredJsonLimits);
    if (!state.ok() || !state->is_object()) {
      return core::InternalError("snapshot of stream '" + std::string(stream) +
                                 "' is not a JSON object");
    }
    return Snapshot{r.GetInt(0, 0), static_cast<int>(r.GetInt(0, 1)),
                    std::move(state->as_object())};
  }

 private:
  // Stored events carry their position and version, a few bytes more than
  // the limit checked on append.
  static core::CodecLimits DecodeLimits(core::CodecLimits limits) {
    limits.max_bytes += 256;
    return limits;
  }

  // The stream's row; nullopt when the stream never existed.
  static core::Result<std::optional<StreamRow>> LoadStream(
      PgConnection& conn, std::string_view tenant, std::string_view stream) {
    ASSIGN_OR_RETURN(
        PgResult r,
        conn.Execute(pg::kStream, {std::string(tenant), std::string(stream)}));
    if (r.rows() == 0) return std::optional<StreamRow>();
    return std::optional<StreamRow>(
        StreamRow{r.GetInt(0, 0), r.GetBool(0, 1),
                  StreamMetadata{r.GetOptionalInt(0, 2), r.GetOptionalInt(0, 3),
                                 r.GetOptionalInt(0, 4)}});
  }

  // Appends up to `max` visible events of the stream from `from_version`
  // in `direction` to `out` (not upcast).
  core::Status ReadRange(PgConnection& conn, std::string_view tenant,
                         std::string_view stream, const StreamRow& row,
                         int64_t from_version, size_t max, Direction direction,
                         std::vector<core::EventPtr>& out) const {
    const int64_t first = FirstRetainedVersion(row.metadata, row.version);
    const int64_t now = HasRetention(row.metadata) ? clock_.NowMillis() : 0;
    const bool forward = direction == Direction::kForward;
    int64_t lo = forward ? std::max(from_version, first) : first;
    int64_t hi = forward ? row.version : std::min(from_version, row.version);
    core::EventDecoder decoder(decode_limits_);
    const size_t wanted = out.size() + max;
    while (out.size() < wanted && lo <= hi) {
      const int64_t limit = static_cast<int64_t>(wanted - out.size());
      ASSIGN_OR_RETURN(
          PgResult r,
          conn.Execute(
              forward ? pg::kReadForward : pg::kReadBackward,
              {std::string(tenant), std::string(stream), Str(forward ? lo : hi),
               Str(forward ? hi : lo), Str(limit)}));
      for (int i = 0; i < r.rows(); ++i) {
        const int64_t version = r.GetInt(i, 2);
        (forward ? lo : hi) = forward ? version + 1 : version - 1;
        if (IsExpired(row.metadata, r.GetInt(i, 1), now)) continue;
        ASSIGN_OR_RETURN(core::EventPtr e, decoder.Decode(r.Get(i, 0)));
        out.push_back(std::move(e));
      }
      if (r.rows() < limit) break;
    }
    return core::Status::Ok();
  }

  core::Result<ReadAllResult> ReadAllFiltered(int64_t after, size_t max,
                                              const EventFilter& f) {
    ReadAllResult result;
    result.last_scanned_position = after;
    if (max == 0) return result;
    ASSIGN_OR_RETURN(PgConnectionPool::Lease conn, pool_.Acquire());
    core::EventDecoder decoder(decode_limits_);
    const int64_t limit =
        f.all_types()
            ? static_cast<int64_t>(max)
            : std::max<int64_t>(static_cast<int64_t>(max), kFilteredPage);
    int64_t cursor = after;
    int64_t scanned = 0;
    while (true) {
      PgParams params{Str(cursor), Str(limit)};
      if (!f.all_tenants()) params.push_back(f.tenant());
      ASSIGN_OR_RETURN(
          PgResult r,
          conn->Execute(f.all_tenants() ? pg::kReadAll : pg::kReadAllTenant,
                        params));
      const int rows = r.IsNull(0, 1) ? 0 : r.rows();
      for (int i = 0; i < rows; ++i) {
        cursor = r.GetInt(i, 1);
        ASSIGN_OR_RETURN(core::EventPtr e, decoder.Decode(r.Get(i, 2)));
        if (!f.Matches(*e)) continue;
        result.events.push_back(std::move(e));
        if (result.events.size() == max) {
          result.last_scanned_position = cursor;
          return Upcast(std::move(result));
        }
      }
      if (rows < limit) {
        // Nothing more is visible: everything up to the head (read in the
        // same snapshot) has been examined.
        result.last_scanned_position = std::max(cursor, r.GetInt(0, 0));
        return Upcast(std::move(result));
      }
      result.last_scanned_position = cursor;
      scanned += rows;
      if (scanned >= kMaxScan) return Upcast(std::move(result));
    }
  }

  core::Result<ReadAllResult> Upcast(ReadAllResult result) const {
    RETURN_IF_ERROR(options_.upcasters.UpcastAll(result.events));
    return result;
  }

  // Immutable after construction.
  const EventStoreOptions options_;
  const core::SystemClock system_clock_;
  const core::Clock& clock_;
  const core::CodecLimits decode_limits_;
  std::string channel_;  // set by Open()

  CommitSignal signal_;
  PgConnectionPool pool_;
  // Destroyed first: no commit notification arrives for a dying store.
  std::unique_ptr<PgNotifyListener> listener_;
  std::unique_ptr<PgAppendWriter> writer_;
};

}  // namespace

core::Result<std::unique_ptr<EventStore>> MakePostgresEventStore(
    const std::string& url, EventStoreOptions options,
    PostgresOptions postgres) {
  auto store = std::make_unique<PostgresEventStore>(
      std::move(options), url, postgres.max_read_connections);
  RETURN_IF_ERROR(store->Open(url));
  return std::unique_ptr<EventStore>(std::move(store));
}

}  // namespace stockpile::store
