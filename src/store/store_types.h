// The value types of the EventStore interface (event_store.h): expected
// versions, append results, read filters, snapshots and stream metadata.
//
// Thread-safety: plain values; distinct objects may be used from different
// threads freely.
#ifndef STOCKPILE_STORE_STORE_TYPES_H_
#define STOCKPILE_STORE_STORE_TYPES_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "core/event.h"

namespace stockpile::store {

// The optimistic-concurrency precondition of an Append.
//
//   store.Append("acme", "order-7", ExpectedVersion::Exact(3), events);
class ExpectedVersion {
 public:
  enum class Kind {
    kAny,           // no check
    kNoStream,      // the stream must not exist (version 0)
    kStreamExists,  // the stream must have at least one event
    kExact,         // the stream must be exactly at version()
  };

  static ExpectedVersion Any() { return ExpectedVersion(Kind::kAny, -1); }
  static ExpectedVersion NoStream() {
    return ExpectedVersion(Kind::kNoStream, 0);
  }
  static ExpectedVersion StreamExists() {
    return ExpectedVersion(Kind::kStreamExists, -1);
  }
  // Exact(0) is the same as NoStream().
  static ExpectedVersion Exact(int64_t version) {
    return version == 0 ? NoStream() : ExpectedVersion(Kind::kExact, version);
  }

  Kind kind() const { return kind_; }
  // The exact version for kExact, 0 for kNoStream, -1 otherwise.
  int64_t version() const { return version_; }

  // True when a stream currently at `actual` (0 = absent) satisfies this.
  bool Matches(int64_t actual) const;
  // "any", "no stream", "stream exists", "version 3".
  std::string ToString() const;

 private:
  ExpectedVersion(Kind kind, int64_t version)
      : kind_(kind), version_(version) {}
  Kind kind_;
  int64_t version_;
};

// What a successful Append assigned.
struct AppendResult {
  int64_t first_position = 0;  // global position of the first event
  int64_t last_position = 0;   // global position of the last event
  // The stream's version after the append (= streamVersion of the last
  // event). The next event appended to the stream gets stream_version + 1.
  int64_t stream_version = 0;
  // The stored events, with streamVersion and position set, in order.
  std::vector<core::EventPtr> events;
};

enum class Direction { kForward, kBackward };

// Pass as `from_version` of a backward ReadStream to start at the newest.
inline constexpr int64_t kStreamEnd = std::numeric_limits<int64_t>::max();

// Which events of the global log a ReadAll / SubscribeAll returns.
struct ReadFilter {
  // AMQP topic patterns over eventType ("order.#"); empty = every type.
  std::vector<std::string> type_patterns;
  // The tenant whose events are returned. Must be non-empty unless
  // all_tenants is set: forgetting the tenant is an InvalidArgument, never a
  // silent leak across tenants.
  std::string tenant;
  // Every tenant's events. For the runtime (outbox relay, analytics), never
  // for a request made on behalf of a tenant.
  bool all_tenants = false;

  static ReadFilter ForTenant(std::string tenant_id,
                              std::vector<std::string> patterns = {}) {
    return ReadFilter{std::move(patterns), std::move(tenant_id), false};
  }
  static ReadFilter AllTenants(std::vector<std::string> patterns = {}) {
    return ReadFilter{std::move(patterns), "", true};
  }
};

// One page of the global log.
struct ReadAllResult {
  std::vector<core::EventPtr> events;  // ascending positions, filter applied
  // The position up to which the log was examined (>= the last returned
  // event's position; > it when non-matching events followed). Pass it as
  // `after_position` of the next call; a consumer may checkpoint it.
  int64_t last_scanned_position = 0;
};

// The state of one stream's aggregate folded up to `stream_version`.
struct Snapshot {
  int64_t stream_version = 0;  // the last event folded into `state`
  int schema_version = 1;      // the version of `state`'s shape
  boost::json::object state;
};

// Retention rules of one stream. Events they exclude are hidden from
// ReadStream / SubscribeStream at once and removed by Scavenge().
struct StreamMetadata {
  std::optional<int64_t> max_age_ms;       // older events are hidden
  std::optional<int64_t> max_count;        // only the newest N are kept
  std::optional<int64_t> truncate_before;  // versions below are hidden

  friend bool operator==(const StreamMetadata&,
                         const StreamMetadata&) = default;
};

// What Scavenge() reclaimed.
struct ScavengeResult {
  int64_t events_removed = 0;
  int64_t streams_removed = 0;  // deleted streams fully removed
};

}  // namespace stockpile::store

#endif  // STOCKPILE_STORE_STORE_TYPES_H_
