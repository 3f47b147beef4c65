#include "store/in_memory_event_store.h"

#include <algorithm>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "core/status_macros.h"
#include "store/append_validation.h"
#include "store/catch_up_subscription.h"
#include "store/commit_signal.h"
#include "store/event_filter.h"
#include "store/stream_retention.h"

namespace stockpile::store {

namespace {

// How many log entries one ReadAll examines at most, so a sparse filter
// answers promptly (with last_scanned_position telling where it stopped).
constexpr size_t kMaxScan = 65536;

struct StreamState {
  std::vector<int64_t> positions;  // positions[v - 1] = position of version v
  std::unordered_map<std::string, int64_t> versions_by_id;
  bool deleted = false;
  StreamMetadata metadata;
  std::optional<Snapshot> snapshot;

  int64_t version() const { return static_cast<int64_t>(positions.size()); }
};

class InMemoryEventStore final : public EventStore {
 public:
  explicit InMemoryEventStore(EventStoreOptions options)
      : options_(std::move(options)),
        clock_(options_.clock ? *options_.clock : system_clock_) {}

  core::Result<AppendResult> Append(std::string_view tenant,
                                    std::string_view stream,
                                    ExpectedVersion expected,
                                    std::vector<core::Event> events) override {
    RETURN_IF_ERROR(ValidateAppend(tenant, stream, events, options_.limits));
    AppendResult result;
    bool written = false;
    {
      std::unique_lock lock(mu_);
      StreamState& s = streams_[StreamKey(tenant, stream)];
      if (s.deleted) {
        return core::FailedPreconditionError("stream '" + std::string(stream) +
                                             "' is deleted");
      }
      auto dup = s.versions_by_id.find(events.front().event_id);
      if (dup != s.versions_by_id.end()) {
        ASSIGN_OR_RETURN(result, Replayed(s, stream, dup->second, events));
      } else {
        for (const core::Event& e : events) {
          if (stored_ids_.count(e.event_id) == 0) continue;
          return core::ConflictError(
              "event " + e.event_id +
              (s.versions_by_id.count(e.event_id)
                   ? " is already in stream '" + std::string(stream) + "'"
                   : std::string(" is already stored in another stream")));
        }
        if (!expected.Matches(s.version())) {
          core::Status conflict =
              VersionConflict(stream, s.version(), expected);
          if (s.positions.empty()) streams_.erase(StreamKey(tenant, stream));
          return conflict;
        }
        for (core::Event& e : events) {
          e.stream_version = s.version() + 1;
          e.position = static_cast<int64_t>(log_.size()) + 1;
          s.versions_by_id.emplace(e.event_id, e.stream_version);
          stored_ids_.insert(e.event_id);
          s.positions.push_back(e.position);
          auto ptr = std::make_shared<const core::Event>(std::move(e));
          log_.push_back(ptr);
          result.events.push_back(std::move(ptr));
        }
        written = true;
      }
    }
    if (written) signal_.Notify();
    result.first_position = result.events.front()->position;
    result.last_position = result.events.back()->position;
    result.stream_version = result.events.back()->stream_version;
    RETURN_IF_ERROR(options_.upcasters.UpcastAll(result.events));
    return result;
  }

  core::Result<std::vector<core::EventPtr>> ReadStream(
      std::string_view tenant, std::string_view stream, int64_t from_version,
      size_t max, Direction direction) override {
    RETURN_IF_ERROR(ValidateStreamRef(tenant, stream));
    std::vector<core::EventPtr> out;
    {
      std::shared_lock lock(mu_);
      const StreamState* s = Find(tenant, stream);
      if (s == nullptr) return NoStream(stream);
      Collect(*s, from_version, max, direction, out);
    }
    RETURN_IF_ERROR(options_.upcasters.UpcastAll(out));
    return out;
  }

  core::Result<int64_t> StreamVersion(std::string_view tenant,
                                      std::string_view stream) override {
    RETURN_IF_ERROR(ValidateStreamRef(tenant, stream));
    std::shared_lock lock(mu_);
    const StreamState* s = Find(tenant, stream);
    if (s == nullptr) return NoStream(stream);
    return s->version();
  }

  core::Result<ReadAllResult> ReadAll(int64_t after_position, size_t max,
                                      const ReadFilter& filter) override {
    ASSIGN_OR_RETURN(EventFilter f, EventFilter::Make(filter));
    return ReadAllFiltered(after_position, max, f);
  }

  core::Result<int64_t> HeadPosition() override {
    std::shared_lock lock(mu_);
    return static_cast<int64_t>(log_.size());
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
        [this, key = StreamKey(tenant, stream), name = std::string(stream)](
            int64_t cursor, size_t max) -> core::Result<SubscriptionPage> {
      SubscriptionPage page{{}, cursor};
      {
        std::shared_lock lock(mu_);
        auto it = streams_.find(key);
        if (it == streams_.end()) return page;  // not created yet
        if (it->second.deleted) return NoStream(name);
        Collect(it->second, cursor + 1, max, Direction::kForward, page.events);
        if (!page.events.empty()) {
          page.next_cursor = page.events.back()->stream_version;
        }
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
    {
      std::unique_lock lock(mu_);
      StreamState* s = Find(tenant, stream);
      if (s == nullptr) return NoStream(stream);
      if (!expected.Matches(s->version())) {
        return VersionConflict(stream, s->version(), expected);
      }
      s->deleted = true;
      s->snapshot.reset();
    }
    signal_.Notify();  // SubscribeStream ends with NotFound
    return core::Status::Ok();
  }

  core::Status SetStreamMetadata(std::string_view tenant,
                                 std::string_view stream,
                                 const StreamMetadata& metadata) override {
    RETURN_IF_ERROR(ValidateStreamRef(tenant, stream));
    std::unique_lock lock(mu_);
    StreamState* s = Find(tenant, stream);
    if (s == nullptr) return NoStream(stream);
    s->metadata = metadata;
    return core::Status::Ok();
  }

  core::Result<StreamMetadata> GetStreamMetadata(
      std::string_view tenant, std::string_view stream) override {
    RETURN_IF_ERROR(ValidateStreamRef(tenant, stream));
    std::shared_lock lock(mu_);
    const StreamState* s = Find(tenant, stream);
    if (s == nullptr) return NoStream(stream);
    return s->metadata;
  }

  core::Result<ScavengeResult> Scavenge() override {
    ScavengeResult result;
    const int64_t now = clock_.NowMillis();
    std::unique_lock lock(mu_);
    for (auto& [key, s] : streams_) {
      const int64_t first = s.deleted
                                ? s.version() + 1
                                : FirstRetainedVersion(s.metadata, s.version());
      bool removed_all = true;
      for (int64_t v = 1; v <= s.version(); ++v) {
        core::EventPtr& slot =
            log_[static_cast<size_t>(s.positions[v - 1] - 1)];
        if (slot == nullptr) continue;
        if (v < first || IsExpired(s.metadata, slot->timestamp_ms, now)) {
          slot = nullptr;
          ++result.events_removed;
        } else {
          removed_all = false;
        }
      }
      if (s.deleted && removed_all && !s.versions_by_id.empty()) {
        for (const auto& [id, version] : s.versions_by_id) {
          stored_ids_.erase(id);
        }
        s.versions_by_id.clear();
        ++result.streams_removed;
      }
    }
    return result;
  }

  core::Status SaveSnapshot(std::string_view tenant, std::string_view stream,
                            const Snapshot& snapshot) override {
    RETURN_IF_ERROR(ValidateStreamRef(tenant, stream));
    std::unique_lock lock(mu_);
    StreamState* s = Find(tenant, stream);
    if (s == nullptr) return NoStream(stream);
    if (snapshot.stream_version < 1 || snapshot.stream_version > s->version()) {
      return core::InvalidArgumentError(
          "snapshot version " + std::to_string(snapshot.stream_version) +
          " is outside stream '" + std::string(stream) + "' (version " +
          std::to_string(s->version()) + ")");
    }
    if (!s->snapshot ||
        s->snapshot->stream_version <= snapshot.stream_version) {
      s->snapshot = snapshot;
    }
    return core::Status::Ok();
  }

  core::Result<Snapshot> LoadSnapshot(std::string_view tenant,
                                      std::string_view stream) override {
    RETURN_IF_ERROR(ValidateStreamRef(tenant, stream));
    std::shared_lock lock(mu_);
    const StreamState* s = Find(tenant, stream);
    if (s == nullptr) return NoStream(stream);
    if (!s->snapshot) {
      return core::NotFoundError("stream '" + std::string(stream) +
                                 "' has no snapshot");
    }
    return *s->snapshot;
  }

 private:
  static core::Status NoStream(std::string_view stream) {
    return core::NotFoundError("stream '" + std::string(stream) +
                               "' not found");
  }

  // Null for an absent or deleted stream. Requires mu_.
  StreamState* Find(std::string_view tenant, std::string_view stream) {
    auto it = streams_.find(StreamKey(tenant, stream));
    if (it == streams_.end() || it->second.deleted) return nullptr;
    return &it->second;
  }

  // The original result of an idempotent re-append starting at `version`,
  // or Conflict when the batch only partly matches. Requires mu_.
  core::Result<AppendResult> Replayed(const StreamState& s,
                                      std::string_view stream, int64_t version,
                                      const std::vector<core::Event>& events) {
    AppendResult result;
    for (size_t i = 0; i < events.size(); ++i) {
      const int64_t v = version + static_cast<int64_t>(i);
      auto it = s.versions_by_id.find(events[i].event_id);
      if (v > s.version() || it == s.versions_by_id.end() || it->second != v) {
        return core::ConflictError(
            "batch partly overlaps events already in stream '" +
            std::string(stream) + "' (event " + events[i].event_id + ")");
      }
      core::EventPtr stored = log_[static_cast<size_t>(s.positions[v - 1] - 1)];
      if (stored == nullptr) {
        return core::ConflictError("event " + events[i].event_id +
                                   " was scavenged from stream '" +
                                   std::string(stream) + "'");
      }
      result.events.push_back(std::move(stored));
    }
    return result;
  }

  // Appends the visible events of `s` in the requested range. Requires mu_.
  void Collect(const StreamState& s, int64_t from_version, size_t max,
               Direction direction, std::vector<core::EventPtr>& out) const {
    const int64_t first = FirstRetainedVersion(s.metadata, s.version());
    const int64_t now = HasRetention(s.metadata) ? clock_.NowMillis() : 0;
    const int64_t step = direction == Direction::kForward ? 1 : -1;
    int64_t v = direction == Direction::kForward
                    ? std::max(from_version, first)
                    : std::min(from_version, s.version());
    for (; v >= first && v <= s.version() && out.size() < max; v += step) {
      const core::EventPtr& e =
          log_[static_cast<size_t>(s.positions[v - 1] - 1)];
      if (e == nullptr || IsExpired(s.metadata, e->timestamp_ms, now)) continue;
      out.push_back(e);
    }
  }

  core::Result<ReadAllResult> ReadAllFiltered(int64_t after, size_t max,
                                              const EventFilter& f) {
    ReadAllResult result;
    {
      std::shared_lock lock(mu_);
      const size_t end = log_.size();
      size_t i = static_cast<size_t>(std::max<int64_t>(after, 0));
      const size_t scan_end = std::min(end, i + kMaxScan + max);
      for (; i < scan_end && result.events.size() < max; ++i) {
        const core::EventPtr& e = log_[i];
        if (e != nullptr && f.Matches(*e)) result.events.push_back(e);
      }
      result.last_scanned_position = std::max(after, static_cast<int64_t>(i));
    }
    RETURN_IF_ERROR(options_.upcasters.UpcastAll(result.events));
    return result;
  }

  // Immutable after construction.
  const EventStoreOptions options_;
  const core::SystemClock system_clock_;
  const core::Clock& clock_;

  CommitSignal signal_;

  mutable std::shared_mutex mu_;
  std::vector<core::EventPtr> log_;                       // GUARDED_BY(mu_)
  std::unordered_map<std::string, StreamState> streams_;  // GUARDED_BY(mu_)
  // Every stored eventId: ids are unique in the whole log.
  std::unordered_set<std::string> stored_ids_;  // GUARDED_BY(mu_)
};

}  // namespace

std::unique_ptr<EventStore> MakeInMemoryEventStore(EventStoreOptions options) {
  return std::make_unique<InMemoryEventStore>(std::move(options));
}

}  // namespace stockpile::store
