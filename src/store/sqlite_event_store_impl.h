// Internal to the SQLite event store: the implementation class shared by
// sqlite_event_store.cc (open, reads, subscriptions) and
// sqlite_event_store_writes.cc (everything that runs on the writer thread).
// Not part of the store's public API.
//
// Thread-safety: as SqliteEventStore. Members marked "writer thread only"
// are touched only by work items and hooks of writer_.
#ifndef STOCKPILE_STORE_SQLITE_EVENT_STORE_IMPL_H_
#define STOCKPILE_STORE_SQLITE_EVENT_STORE_IMPL_H_

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/event_codec.h"
#include "store/commit_signal.h"
#include "store/committed_versions.h"
#include "store/event_filter.h"
#include "store/recent_events.h"
#include "store/sqlite_db.h"
#include "store/sqlite_event_store.h"
#include "store/sqlite_writer.h"

namespace stockpile::store {

// The columns every event query selects, in the order RowToEvent reads.
inline constexpr const char* kEventColumns =
    "position, stream_version, event_id, event_type, tenant, aggregate_type, "
    "aggregate_id, timestamp_ms, version, payload, metadata";

// Builds an event from a row selected with kEventColumns. `parser` decodes
// payload and metadata; reuse one for all rows of a query.
core::Result<core::EventPtr> RowToEvent(const ScopedStatement& row,
                                        core::JsonParser& parser);

class SqliteEventStoreImpl final : public SqliteEventStore {
 public:
  SqliteEventStoreImpl(std::string path, EventStoreOptions options);
  ~SqliteEventStoreImpl() override;
  // Opens the writer connection, migrates, loads the head, starts the writer.
  core::Status Init();

  core::Result<AppendResult> Append(std::string_view tenant,
                                    std::string_view stream,
                                    ExpectedVersion expected,
                                    std::vector<core::Event> events) override;
  core::Result<std::vector<core::EventPtr>> ReadStream(
      std::string_view tenant, std::string_view stream, int64_t from_version,
      size_t max, Direction direction) override;
  core::Result<int64_t> StreamVersion(std::string_view tenant,
                                      std::string_view stream) override;
  core::Result<ReadAllResult> ReadAll(int64_t after_position, size_t max,
                                      const ReadFilter& filter) override;
  core::Result<int64_t> HeadPosition() override;
  core::Result<std::unique_ptr<Subscription>> SubscribeAll(
      int64_t after_position, ReadFilter filter, EventHandler handler) override;
  core::Result<std::unique_ptr<Subscription>> SubscribeStream(
      std::string_view tenant, std::string_view stream, int64_t after_version,
      EventHandler handler) override;
  core::Status DeleteStream(std::string_view tenant, std::string_view stream,
                            ExpectedVersion expected) override;
  core::Status SetStreamMetadata(std::string_view tenant,
                                 std::string_view stream,
                                 const StreamMetadata& metadata) override;
  core::Result<StreamMetadata> GetStreamMetadata(
      std::string_view tenant, std::string_view stream) override;
  core::Result<ScavengeResult> Scavenge() override;
  core::Status SaveSnapshot(std::string_view tenant, std::string_view stream,
                            const Snapshot& snapshot) override;
  core::Result<Snapshot> LoadSnapshot(std::string_view tenant,
                                      std::string_view stream) override;
  core::Status Transact(
      std::function<core::Status(SqliteTransaction& tx)> work) override;
  const std::string& path() const override { return path_; }

  // Writer thread only: the append itself, inside the open transaction.
  core::Status AppendInTxn(WriteContext& ctx, std::string_view tenant,
                           std::string_view stream, ExpectedVersion expected,
                           std::vector<core::Event>& events, AppendResult& out);

 private:
  // A pooled reader connection, returned to the pool on destruction.
  class Reader;
  struct StreamRow {
    int64_t id = 0;
    int64_t version = 0;
    bool deleted = false;
    StreamMetadata metadata;
  };
  struct CachedStream {
    int64_t id;
    int64_t version;
    bool deleted;
  };

  core::Result<Reader> AcquireReader();
  // The stream's row, or nullopt when absent (deleted streams included).
  static core::Result<std::optional<StreamRow>> LoadStreamRow(
      SqliteDb& db, std::string_view tenant, std::string_view stream);
  // The row of an existing, undeleted stream; NotFound otherwise.
  static core::Result<StreamRow> LoadLiveStream(SqliteDb& db,
                                                std::string_view tenant,
                                                std::string_view stream);
  core::Result<ReadAllResult> ReadAllFiltered(int64_t after, size_t max,
                                              const EventFilter& filter);
  core::Result<std::vector<core::EventPtr>> ReadStreamRange(
      SqliteDb& db, const StreamRow& row, int64_t from_version, size_t max,
      Direction direction);

  // Writer thread only.
  core::Result<CachedStream*> LookupStream(SqliteDb& db,
                                           std::string_view tenant,
                                           std::string_view stream);
  core::Status ReplayedAppend(SqliteDb& db, const CachedStream& s,
                              std::string_view stream, int64_t version,
                              const std::vector<core::Event>& events,
                              AppendResult& out);
  core::Status ReloadWriterState(SqliteDb& db);

  // Immutable after Init().
  const std::string path_;
  const EventStoreOptions options_;
  const core::SystemClock system_clock_;
  const core::Clock& clock_;

  CommitSignal signal_;
  std::atomic<int64_t> committed_head_{0};

  std::mutex pool_mu_;
  std::vector<std::unique_ptr<SqliteDb>> pool_;  // GUARDED_BY(pool_mu_)

  // Bound of stream_cache_ and committed_versions_ (entries).
  static constexpr size_t kMaxCachedStreams = 100000;
  // Staged by the writer thread, read by StreamVersion.
  CommittedVersions committed_versions_{kMaxCachedStreams};
  // Events kept for subscriptions near the head.
  static constexpr size_t kRecentEvents = 4096;
  // Staged by the writer thread, read by ReadAllFiltered; set in Init().
  std::unique_ptr<RecentEvents> recent_events_;

  // Writer thread only.
  std::unordered_map<std::string, CachedStream> stream_cache_;
  int64_t head_ = 0;

  std::unique_ptr<SqliteWriter> writer_;  // last: stopped first
};

}  // namespace stockpile::store

#endif  // STOCKPILE_STORE_SQLITE_EVENT_STORE_IMPL_H_
