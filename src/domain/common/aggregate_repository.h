// AggregateRepository<State>: loads an event-sourced aggregate from its
// stream and runs commands against it with optimistic concurrency.
//
//   load    = LoadSnapshot + ReadStream(after the snapshot) + State::Apply
//   execute = load -> decide(state, version) -> Append(Exact(version));
//             on a Conflict from the store the whole command runs again on
//             the fresh state (at most options.max_attempts times)
//   every `snapshot_every` events a snapshot is saved after the append.
//
//   AggregateRepository<OrderState> orders(store);
//   ASSIGN_OR_RETURN(Committed c, orders.Execute(tenant, "order-7",
//       [&](const OrderState& s, int64_t version)
//           -> core::Result<std::vector<core::Event>> {
//         if (s.status != "pending") return core::ConflictError("...");
//         return std::vector<core::Event>{...};
//       }));
//
// `decide` may be called several times (once per attempt) and must only
// compute: an error it returns ends the command unchanged (it is never
// retried, even a Conflict); an empty vector is a successful no-op.
//
// State must provide:
//   void Apply(const core::Event&);               // fold one stored event
//   boost::json::object ToSnapshot() const;
//   static core::Result<State> FromSnapshot(const boost::json::object&);
//   static constexpr int kSnapshotSchema;         // bump when the shape
//   changes
// A snapshot of another schema version is ignored (the stream is replayed).
//
// Ownership: borrows the store, which must outlive the repository.
// Thread-safety: safe for concurrent use; it holds no mutable state.
#ifndef STOCKPILE_DOMAIN_COMMON_AGGREGATE_REPOSITORY_H_
#define STOCKPILE_DOMAIN_COMMON_AGGREGATE_REPOSITORY_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "core/event.h"
#include "core/result.h"
#include "core/status_macros.h"
#include "store/event_store.h"

namespace stockpile::domain::common {

struct RepositoryOptions {
  // Whole-command attempts when the store reports a concurrent append.
  int max_attempts = 200;
  // Save a snapshot whenever the stream version crosses a multiple of this;
  // 0 = never.
  int64_t snapshot_every = 100;
};

template <typename State>
struct Loaded {
  State state;
  int64_t version = 0;  // 0: the stream does not exist
};

// What a successful Execute appended (nothing for a no-op).
struct Committed {
  int64_t version = 0;  // stream version after the command
  std::vector<core::EventPtr> events;
  int attempts = 0;  // 1 when there was no conflict
};

template <typename State>
class AggregateRepository {
 public:
  explicit AggregateRepository(store::EventStore& store,
                               RepositoryOptions options = {})
      : store_(store), options_(options) {}

  // The aggregate as of the newest event. An absent stream is the initial
  // State at version 0 (not an error).
  core::Result<Loaded<State>> Load(std::string_view tenant,
                                   std::string_view stream) const {
    Loaded<State> out;
    core::Result<store::Snapshot> snap = store_.LoadSnapshot(tenant, stream);
    if (snap.ok()) {
      if (snap->schema_version == State::kSnapshotSchema) {
        ASSIGN_OR_RETURN(out.state, State::FromSnapshot(snap->state));
        out.version = snap->stream_version;
      }
    } else if (snap.status().code() != core::StatusCode::kNotFound) {
      return snap.status();
    }
    constexpr size_t kPage = 512;
    for (;;) {
      auto page = store_.ReadStream(tenant, stream, out.version + 1, kPage);
      if (!page.ok()) {
        if (page.status().code() == core::StatusCode::kNotFound) {
          return Loaded<State>{};
        }
        return page.status();
      }
      for (const core::EventPtr& e : *page) {
        out.state.Apply(*e);
        out.version = e->stream_version;
      }
      if (page->size() < kPage) return out;
    }
  }

  template <typename Decide>
  core::Result<Committed> Execute(std::string_view tenant,
                                  std::string_view stream, Decide&& decide) {
    core::Status last;
    for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
      ASSIGN_OR_RETURN(Loaded<State> loaded, Load(tenant, stream));
      core::Result<std::vector<core::Event>> decided =
          decide(std::as_const(loaded.state), loaded.version);
      if (!decided.ok()) return decided.status();
      if (decided->empty()) {
        return Committed{loaded.version, {}, attempt};
      }
      core::Result<store::AppendResult> appended = store_.Append(
          tenant, stream, store::ExpectedVersion::Exact(loaded.version),
          std::move(decided).value());
      if (appended.ok()) {
        MaybeSnapshot(tenant, stream, loaded, *appended);
        return Committed{appended->stream_version, std::move(appended->events),
                         attempt};
      }
      if (appended.status().code() != core::StatusCode::kConflict) {
        return appended.status();
      }
      last = appended.status();
      std::this_thread::yield();
    }
    return core::ConflictError("gave up after " +
                               std::to_string(options_.max_attempts) +
                               " concurrent changes: " + last.message());
  }

 private:
  void MaybeSnapshot(std::string_view tenant, std::string_view stream,
                     Loaded<State>& loaded,
                     const store::AppendResult& appended) {
    const int64_t every = options_.snapshot_every;
    if (every <= 0 ||
        appended.stream_version / every == loaded.version / every) {
      return;
    }
    for (const core::EventPtr& e : appended.events) loaded.state.Apply(*e);
    store::Snapshot snap{appended.stream_version, State::kSnapshotSchema,
                         loaded.state.ToSnapshot()};
    // A snapshot only shortens later loads; if saving fails the next load
    // replays a few more events, so the command's outcome does not depend
    // on it.
    store_.SaveSnapshot(tenant, stream, snap).IgnoreError();
  }

  store::EventStore& store_;
  const RepositoryOptions options_;
};

}  // namespace stockpile::domain::common

#endif  // STOCKPILE_DOMAIN_COMMON_AGGREGATE_REPOSITORY_H_
