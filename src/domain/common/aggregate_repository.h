// AggregateRepository<State>: loads an event-sourced aggregate from its
// stream and runs commands against it with optimistic concurrency.
//
//   load    = LoadSnapshot + ReadStream(after the snapshot) + State::Apply
//   execute = load -> decide(state, version) -> Append(Exact(version));
//             on a Conflict from the store the whole command runs again on
//             the fresh state (at most options.max_attempts times)
//   every `snapshot_every` events a snapshot is saved after the append.
//
// With options.cache_entries > 0 (the default) the aggregates last loaded
// or written are kept in memory (aggregate_cache.h), and the store is asked
// only what it must answer:
//   execute = cached state -> decide -> Append(Exact(cached version)); a
//             Conflict refreshes the entry from the stream's newer events;
//             a decide that appends nothing (an error, a no-op) is re-run
//             on refreshed state if the store has moved on, so every answer
//             rests on state the store confirmed or on an exact append.
//   load    = cached state when the store's head position has not moved
//             since it was known fresh, else StreamVersion (+ the newer
//             events): a load sees every append that finished before it
//             and that the store's HeadPosition reflects (SQLite: the one
//             process that owns the file; PostgreSQL: any process).
// Streams are assumed not to be deleted or truncated while the process
// caches them (nothing in the domain does either; a store-level
// DeleteStream is noticed at the next append anywhere in the log).
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
// Ownership: borrows the store, which must outlive the repository; owns
// its cache. Thread-safety: safe for concurrent use (the cache locks).
#ifndef STOCKPILE_DOMAIN_COMMON_AGGREGATE_REPOSITORY_H_
#define STOCKPILE_DOMAIN_COMMON_AGGREGATE_REPOSITORY_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "core/event.h"
#include "core/result.h"
#include "core/status_macros.h"
#include "domain/common/aggregate_cache.h"
#include "domain/common/stream_fold.h"
#include "store/event_store.h"

namespace stockpile::domain::common {

struct RepositoryOptions {
  // Whole-command attempts when the store reports a concurrent append.
  int max_attempts = 200;
  // Save a snapshot whenever the stream version crosses a multiple of this;
  // 0 = never.
  int64_t snapshot_every = 100;
  // Aggregates kept in memory (aggregate_cache.h); 0: every load reads the
  // snapshot and the stream from the store.
  size_t cache_entries = 4096;
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
      : store_(store),
        options_(options),
        cache_(
            options.cache_entries > 0
                ? std::make_unique<AggregateCache<State>>(options.cache_entries)
                : nullptr) {}

  // The aggregate as of the newest event. An absent stream is the initial
  // State at version 0 (not an error).
  core::Result<Loaded<State>> Load(std::string_view tenant,
                                   std::string_view stream) const {
    ASSIGN_OR_RETURN(Current current, LoadCurrent(tenant, stream, false));
    return Loaded<State>{*current.state, current.version};
  }
  // The same without copying the state (it may be shared with the cache).
  core::Result<SharedLoaded<State>> LoadShared(std::string_view tenant,
                                               std::string_view stream) const {
    return LoadCurrent(tenant, stream, false);
  }

  template <typename Decide>
  core::Result<Committed> Execute(std::string_view tenant,
                                  std::string_view stream, Decide&& decide) {
    core::Status last;
    std::optional<Current> current;
    bool verified = false;  // `current` checked against the store
    for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
      if (!current.has_value()) current = Cached(tenant, stream);
      if (!current.has_value()) {
        ASSIGN_OR_RETURN(current, LoadCurrent(tenant, stream, false));
        verified = true;
      }
      core::Result<std::vector<core::Event>> decided =
          decide(std::as_const(*current->state), current->version);
      if ((!decided.ok() || decided->empty()) && !verified) {
        // Only an append is protected by the expected version: an answer
        // without one must come from state the store confirms.
        ASSIGN_OR_RETURN(Current fresh, LoadCurrent(tenant, stream, true));
        verified = true;
        if (fresh.version != current->version) {
          current = std::move(fresh);
          continue;
        }
      }
      if (!decided.ok()) return decided.status();
      if (decided->empty()) return Committed{current->version, {}, attempt};
      core::Result<store::AppendResult> appended = store_.Append(
          tenant, stream, store::ExpectedVersion::Exact(current->version),
          std::move(decided).value());
      if (appended.ok()) {
        Remember(tenant, stream, std::move(*current), *appended);
        return Committed{appended->stream_version, std::move(appended->events),
                         attempt};
      }
      if (appended.status().code() != core::StatusCode::kConflict) {
        if (cache_ != nullptr) cache_->Erase(tenant, stream);
        return appended.status();
      }
      last = appended.status();
      std::this_thread::yield();
      ASSIGN_OR_RETURN(current, LoadCurrent(tenant, stream, true));
      verified = true;
    }
    return core::ConflictError("gave up after " +
                               std::to_string(options_.max_attempts) +
                               " concurrent changes: " + last.message());
  }

 private:
  using Cache = AggregateCache<State>;
  using Current = SharedLoaded<State>;

  std::optional<Current> Cached(std::string_view tenant,
                                std::string_view stream) const {
    if (cache_ == nullptr) return std::nullopt;
    std::optional<typename Cache::Entry> e = cache_->Get(tenant, stream);
    if (!e.has_value()) return std::nullopt;
    return Current{std::move(e->state), e->version};
  }

  // The aggregate as the store has it now: from the cache when the store's
  // head has not moved since the entry was known fresh (unless `check`) or
  // the stream is still at the entry's version; else the entry plus the
  // stream's newer events; else snapshot + stream.
  core::Result<Current> LoadCurrent(std::string_view tenant,
                                    std::string_view stream, bool check) const {
    if (cache_ == nullptr)
      return FoldStream<State>(store_, tenant, stream, nullptr);
    ASSIGN_OR_RETURN(const int64_t head, store_.HeadPosition());
    std::optional<typename Cache::Entry> e = cache_->Get(tenant, stream);
    if (e.has_value() && !check && e->fresh_at == head) {
      return Current{std::move(e->state), e->version};
    }
    Current out;
    if (!e.has_value()) {
      ASSIGN_OR_RETURN(out, FoldStream<State>(store_, tenant, stream, nullptr));
    } else {
      core::Result<int64_t> version = store_.StreamVersion(tenant, stream);
      if (!version.ok() &&
          version.status().code() != core::StatusCode::kNotFound) {
        return version.status();
      }
      const int64_t now = version.ok() ? *version : 0;
      Current base{std::move(e->state), e->version};
      if (now == base.version) {
        out = std::move(base);
      } else {
        // Another repository appended to the stream (another service of
        // this process, or another process): let go of the cached copy so
        // that the fold below may extend it in place.
        if (now > base.version)
          cache_->Release(tenant, stream, base.state.get());
        ASSIGN_OR_RETURN(
            out, FoldStream<State>(store_, tenant, stream,
                                   now > base.version ? &base : nullptr));
      }
    }
    cache_->Put(tenant, stream, {out.state, out.version, head});
    return out;
  }

  // After a successful append on `before`: the new state into the cache
  // and, every `snapshot_every` events, into a snapshot. The new events are
  // folded into `before.state` itself when nothing else holds it (the
  // cache lets go of it first); a state a reader still shares is copied.
  // A state can be large (a product's holds grow with its open orders), so
  // the copy is what made every command slower as the data grew.
  void Remember(std::string_view tenant, std::string_view stream,
                Current before, const store::AppendResult& appended) {
    const int64_t every = options_.snapshot_every;
    const bool snapshot =
        every > 0 && appended.stream_version / every != before.version / every;
    // An idempotent replay answers events stored earlier: not ours to fold.
    const bool fresh =
        !appended.events.empty() &&
        appended.events.front()->stream_version == before.version + 1;
    if (!fresh) {
      if (cache_ != nullptr) cache_->Erase(tenant, stream);
      return;
    }
    if (cache_ == nullptr && !snapshot) return;
    if (cache_ != nullptr) cache_->Release(tenant, stream, before.state.get());
    std::shared_ptr<State> next = TakeOrCopy<State>(std::move(before.state));
    for (const core::EventPtr& e : appended.events) next->Apply(*e);
    if (snapshot) {
      store::Snapshot snap{appended.stream_version, State::kSnapshotSchema,
                           next->ToSnapshot()};
      // A snapshot only shortens later loads; if saving fails the next load
      // replays a few more events, so the command's outcome does not depend
      // on it.
      store_.SaveSnapshot(tenant, stream, snap).IgnoreError();
    }
    if (cache_ != nullptr) {
      // Every event of the stream up to our last one is folded in: the
      // append was exact, so no other event of it lies in between.
      cache_->Put(tenant, stream,
                  {std::move(next), appended.stream_version,
                   appended.events.back()->position});
    }
  }

  store::EventStore& store_;
  const RepositoryOptions options_;
  const std::unique_ptr<Cache> cache_;  // null: cache_entries == 0
};

}  // namespace stockpile::domain::common

#endif  // STOCKPILE_DOMAIN_COMMON_AGGREGATE_REPOSITORY_H_
