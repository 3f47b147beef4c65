// PgAppendPlan: decides, for one group-commit transaction of the
// PostgreSQL event store, what each queued Append does — write, replay
// (idempotent re-append), or fail — and builds the rows to write as array
// parameters. Pure logic over what the transaction read under the head lock
// (stream versions, already stored event ids), so the rules match
// InMemoryEventStore's exactly and are testable without a server.
//
//   PgAppendPlan plan(head, std::move(streams), std::move(stored));
//   for (auto& r : requests) outcomes.push_back(plan.Add(r));
//   if (!plan.empty()) Pipeline({insert_events(plan.InsertEventsParams()),..})
//
// Thread-safety: none; one writer thread owns a plan.
#ifndef STOCKPILE_STORE_PG_APPEND_PLAN_H_
#define STOCKPILE_STORE_PG_APPEND_PLAN_H_

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/event.h"
#include "core/result.h"
#include "store/pg_connection.h"
#include "store/store_types.h"

namespace stockpile::store {

// One queued Append (already validated by ValidateAppend).
struct PgAppendRequest {
  std::string tenant;
  std::string stream;
  ExpectedVersion expected = ExpectedVersion::Any();
  std::vector<core::Event> events;
};

// What the transaction found about one stream.
struct PgStreamState {
  int64_t version = 0;  // 0: absent
  bool deleted = false;
};

// An event already in the log, found by id.
struct PgStoredEvent {
  std::string tenant;
  std::string stream;
  core::EventPtr event;     // decoded stored event (position set)
  bool this_group = false;  // written by this plan: lives only if it commits
};

class PgAppendPlan {
 public:
  // Keys of `streams`: StreamKey(tenant, stream). Keys of `stored`:
  // lowercase event ids.
  PgAppendPlan(int64_t head, std::map<std::string, PgStreamState> streams,
               std::unordered_map<std::string, PgStoredEvent> stored);

  static std::string StreamKey(std::string_view tenant,
                               std::string_view stream);

  // The outcome of `request` if the transaction commits. A write assigns
  // versions and positions and adds rows; later requests of the same group
  // see its effect (a second append to the same stream, a retried batch).
  core::Result<AppendResult> Add(PgAppendRequest& request);
  // True when the outcome of the last Add() depends on the commit (it
  // wrote, or replayed events this group writes).
  bool last_was_write() const { return last_was_write_; }

  bool empty() const { return rows_ == 0; }
  int64_t head() const { return head_; }
  size_t rows() const { return rows_; }

  // Parameters of pg::kInsertEvents and pg::kUpsertStreams.
  PgParams InsertEventsParams() const;
  PgParams UpsertStreamsParams() const;

 private:
  core::Result<AppendResult> Replay(const PgAppendRequest& request);

  int64_t head_;
  std::map<std::string, PgStreamState> streams_;
  std::unordered_map<std::string, PgStoredEvent> stored_;
  std::map<std::string, int64_t> written_versions_;  // key -> new version
  bool last_was_write_ = false;
  size_t rows_ = 0;
  // Array literals under construction, one per inserted column.
  std::string positions_, tenants_, streams_col_, versions_, ids_, types_,
      timestamps_, bodies_;
};

// Lowercase copy of a UUID text (PostgreSQL prints uuids in lowercase).
std::string LowerId(std::string_view id);

}  // namespace stockpile::store

#endif  // STOCKPILE_STORE_PG_APPEND_PLAN_H_
