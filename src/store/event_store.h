// EventStore: the durable, append-only log of every business fact, the source
// of truth of Stockpile (DESIGN.md §2, §5). Events live in streams, one per
// aggregate ("order-7"), scoped by tenant; every stored event also has a
// global position in one log across all streams and tenants.
//
//   command -> aggregate -> EventStore::Append -> (commit) -> subscriptions
//   (outbox relay, projections, consumers) read the log by position.
//
//   ASSIGN_OR_RETURN(AppendResult r,
//                    store.Append("acme", "order-7", ExpectedVersion::Exact(3),
//                                 {std::move(e1), std::move(e2)}));
//   ASSIGN_OR_RETURN(auto events, store.ReadStream("acme", "order-7", 1, 100));
//   auto sub = store.SubscribeAll(checkpoint, ReadFilter::AllTenants({"#"}),
//                                 [&](const core::EventPtr& e) { ...; });
//
// Guarantees every implementation gives (event_store_conformance.h tests them):
// - Positions are 1-based, strictly increasing and gap-free in the order in
//   which appends become visible: a reader that has seen position P never
//   later sees an event with a position <= P appear. (On PostgreSQL this
//   needs care: see docs/architecture.md.)
// - Stream versions are 1-based and contiguous per (tenant, stream).
// - An Append is atomic for its whole batch and answered only after the
//   events are durable (SQLite: WAL fsync'd; PostgreSQL: committed).
// - Every read path (ReadStream, ReadAll, subscriptions, idempotent Append
//   results) applies the store's upcasters (upcaster_registry.h), so readers
//   always see the current payload schema.
// - Tenancy: every call names its tenant; only ReadFilter::AllTenants() reads
//   across tenants.
//
// Errors: InvalidArgument (bad input, named precisely), NotFound (no such
// stream, or deleted), Conflict (expected version mismatch; the message
// states the actual version), FailedPrecondition (append to a deleted
// stream), Unavailable / Internal (the backend failed), Cancelled (the store
// is shutting down).
//
// Thread-safety: an EventStore is safe for concurrent use from any number of
// threads without external synchronization. Subscription handlers run on
// threads owned by the store and must not outlive it.
#ifndef STOCKPILE_STORE_EVENT_STORE_H_
#define STOCKPILE_STORE_EVENT_STORE_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/result.h"
#include "core/status.h"
#include "store/store_types.h"

namespace stockpile::store {

// Called once per event, in order, on the subscription's own thread, never
// concurrently with itself. A non-ok return ends the subscription with that
// status (the runtime then restarts it from its checkpoint).
using EventHandler = std::function<core::Status(const core::EventPtr& event)>;

// A running catch-up subscription: history first, then live events, with no
// gap and no duplicate. Destroying it stops it (RAII).
//
// Thread-safety: all methods may be called from any thread. Stop() and the
// destructor must not be called from inside the handler.
class Subscription {
 public:
  virtual ~Subscription() = default;

  // Stops delivery and waits until the handler is no longer running.
  // Idempotent. After Stop() returns the handler is never called again.
  virtual void Stop() = 0;

  // OK while running or after Stop(); otherwise the error that ended it
  // (the handler's, or a read failure). A read that finds the backend
  // Unavailable does not end it: it is retried with backoff (bounded at a
  // few seconds) until the backend is back, and delivery resumes with no
  // gap and no duplicate.
  virtual core::Status status() const = 0;

  // The cursor of the last event handed to the handler and completed:
  // a global position for SubscribeAll, a stream version for
  // SubscribeStream. Starts at the `after` given when subscribing.
  virtual int64_t last_delivered() const = 0;

  // Blocks until last_delivered() >= cursor, the subscription ended, or
  // `timeout` passed. True in the first case.
  virtual bool WaitFor(int64_t cursor, std::chrono::milliseconds timeout) = 0;
};

class EventStore {
 public:
  virtual ~EventStore() = default;

  // Appends `events` to (tenant, stream) atomically.
  // - `expected` is checked against the stream's current version; a
  //   mismatch is Conflict "stream 's' is at version N, expected ...".
  // - Idempotent: if the batch's first eventId is already in the stream, and
  //   the whole batch matches stored events by eventId in order, nothing is
  //   written and the original result is returned (expected is not checked).
  //   A partial overlap is a Conflict.
  // - InvalidArgument: empty batch, invalid tenant or stream name
  //   (ValidateStreamName), an event whose tenantId differs from `tenant`,
  //   an invalid eventId or eventType, an event over CodecLimits::max_bytes
  //   when encoded, duplicate eventIds within the batch.
  // - The store assigns streamVersion and position (the events' own values
  //   are ignored). Answered only once the events are durable.
  virtual core::Result<AppendResult> Append(
      std::string_view tenant, std::string_view stream,
      ExpectedVersion expected, std::vector<core::Event> events) = 0;

  // Up to `max` events of the stream starting at `from_version` (inclusive):
  // ascending for kForward, descending for kBackward (kStreamEnd = newest).
  // Events hidden by the stream's metadata are skipped. An existing stream
  // with nothing in range answers an empty vector; an absent or deleted
  // stream answers NotFound.
  virtual core::Result<std::vector<core::EventPtr>> ReadStream(
      std::string_view tenant, std::string_view stream, int64_t from_version,
      size_t max, Direction direction = Direction::kForward) = 0;

  // The stream's current version (>= 1: a stream exists once it has an
  // event). NotFound for an absent or deleted stream.
  virtual core::Result<int64_t> StreamVersion(std::string_view tenant,
                                              std::string_view stream) = 0;

  // Up to `max` events of the global log with position > after_position
  // that pass `filter`, ascending. Events of deleted or truncated streams
  // remain in the global log until Scavenge() removes them.
  virtual core::Result<ReadAllResult> ReadAll(int64_t after_position,
                                              size_t max,
                                              const ReadFilter& filter) = 0;

  // The position of the newest visible event; 0 for an empty log.
  virtual core::Result<int64_t> HeadPosition() = 0;

  // Delivers every event with position > after_position passing `filter`,
  // then each newly appended one, to `handler` (see EventHandler).
  virtual core::Result<std::unique_ptr<Subscription>> SubscribeAll(
      int64_t after_position, ReadFilter filter, EventHandler handler) = 0;

  // The same for one stream, by stream version (> after_version). The
  // stream need not exist yet. Ends with NotFound if it is deleted.
  virtual core::Result<std::unique_ptr<Subscription>> SubscribeStream(
      std::string_view tenant, std::string_view stream, int64_t after_version,
      EventHandler handler) = 0;

  // Soft deletion: afterwards ReadStream / StreamVersion answer NotFound and
  // Append answers FailedPrecondition. `expected` as for Append. Space is
  // reclaimed by Scavenge(). NotFound when the stream does not exist.
  virtual core::Status DeleteStream(std::string_view tenant,
                                    std::string_view stream,
                                    ExpectedVersion expected) = 0;

  // Replaces the stream's retention metadata (the stream must exist).
  virtual core::Status SetStreamMetadata(std::string_view tenant,
                                         std::string_view stream,
                                         const StreamMetadata& metadata) = 0;
  // Default (empty) metadata when none was set; NotFound for no stream.
  virtual core::Result<StreamMetadata> GetStreamMetadata(
      std::string_view tenant, std::string_view stream) = 0;

  // Physically removes events of deleted streams and events hidden by
  // stream metadata, and returns the space to the file system where the
  // backend can. Safe to run while the store is in use.
  virtual core::Result<ScavengeResult> Scavenge() = 0;

  // Stores `snapshot` for the stream unless a snapshot at a higher version
  // is already stored. InvalidArgument when snapshot.stream_version is < 1
  // or beyond the stream's version; NotFound for no stream.
  virtual core::Status SaveSnapshot(std::string_view tenant,
                                    std::string_view stream,
                                    const Snapshot& snapshot) = 0;
  // The latest snapshot; NotFound when the stream has none (or is deleted).
  // Load an aggregate as: snapshot, then ReadStream(from snapshot+1).
  virtual core::Result<Snapshot> LoadSnapshot(std::string_view tenant,
                                              std::string_view stream) = 0;
};

}  // namespace stockpile::store

#endif  // STOCKPILE_STORE_EVENT_STORE_H_
