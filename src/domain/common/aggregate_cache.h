// AggregateCache<State>: a bounded in-memory map (tenant, stream) -> the
// aggregate's folded state, its stream version and how fresh it is known to
// be, so that AggregateRepository does not re-read a snapshot and the
// stream's tail from the store for every command.
//
// An entry is a claim "every event of the stream with a global position <=
// fresh_at is folded into `state`, which is at stream `version`". The cache
// never decides anything by itself: AggregateRepository only commits on an
// entry through an append with the exact `version` (a stale entry makes the
// append fail with Conflict and the entry is refreshed), and answers a read
// from an entry only when the store's head position still equals fresh_at
// or the store confirms the stream is still at `version`.
//
// Bounded: at most `capacity` entries (split over kShards shards); a full
// shard drops an arbitrary entry. States are shared immutable values, so a
// Get is a refcount increment, not a copy.
//
// Thread-safety: safe for concurrent use (one mutex per shard).
#ifndef STOCKPILE_DOMAIN_COMMON_AGGREGATE_CACHE_H_
#define STOCKPILE_DOMAIN_COMMON_AGGREGATE_CACHE_H_

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace stockpile::domain::common {

template <typename State>
class AggregateCache {
 public:
  struct Entry {
    std::shared_ptr<const State> state;  // never null
    int64_t version = 0;                 // 0: the stream does not exist
    int64_t fresh_at = 0;                // a global log position
  };

  explicit AggregateCache(size_t capacity)
      : per_shard_(std::max<size_t>(1, capacity / kShards)) {}

  std::optional<Entry> Get(std::string_view tenant,
                           std::string_view stream) const {
    const std::string key = Key(tenant, stream);
    const Shard& shard = ShardOf(key);
    std::lock_guard<std::mutex> lock(shard.mu);
    auto it = shard.entries.find(key);
    if (it == shard.entries.end()) return std::nullopt;
    return it->second;
  }

  // Stores `entry` unless the cache holds a newer one (a higher version,
  // or the same version known fresh at a later position).
  void Put(std::string_view tenant, std::string_view stream, Entry entry) {
    std::string key = Key(tenant, stream);
    Shard& shard = ShardOf(key);
    std::lock_guard<std::mutex> lock(shard.mu);
    auto it = shard.entries.find(key);
    if (it != shard.entries.end()) {
      Entry& old = it->second;
      if (old.version > entry.version ||
          (old.version == entry.version && old.fresh_at >= entry.fresh_at)) {
        return;
      }
      old = std::move(entry);
      return;
    }
    if (shard.entries.size() >= per_shard_) {
      shard.entries.erase(shard.entries.begin());
    }
    shard.entries.emplace(std::move(key), std::move(entry));
  }

  // Removes the entry if it still holds `state` (the very object), so a
  // caller that then owns the only reference may change it in place.
  void Release(std::string_view tenant, std::string_view stream,
               const State* state) {
    const std::string key = Key(tenant, stream);
    Shard& shard = ShardOf(key);
    std::lock_guard<std::mutex> lock(shard.mu);
    auto it = shard.entries.find(key);
    if (it != shard.entries.end() && it->second.state.get() == state) {
      shard.entries.erase(it);
    }
  }

  void Erase(std::string_view tenant, std::string_view stream) {
    const std::string key = Key(tenant, stream);
    Shard& shard = ShardOf(key);
    std::lock_guard<std::mutex> lock(shard.mu);
    shard.entries.erase(key);
  }

  size_t size() const {
    size_t n = 0;
    for (const Shard& shard : shards_) {
      std::lock_guard<std::mutex> lock(shard.mu);
      n += shard.entries.size();
    }
    return n;
  }

 private:
  static constexpr size_t kShards = 16;
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<std::string, Entry> entries;  // GUARDED_BY(mu)
  };

  // Tenant and stream names cannot contain NUL (ValidateStreamName).
  static std::string Key(std::string_view tenant, std::string_view stream) {
    std::string key;
    key.reserve(tenant.size() + 1 + stream.size());
    key.append(tenant).push_back('\0');
    key.append(stream);
    return key;
  }
  Shard& ShardOf(const std::string& key) {
    return shards_[std::hash<std::string>{}(key) % kShards];
  }
  const Shard& ShardOf(const std::string& key) const {
    return shards_[std::hash<std::string>{}(key) % kShards];
  }

  const size_t per_shard_;
  std::array<Shard, kShards> shards_;
};

}  // namespace stockpile::domain::common

#endif  // STOCKPILE_DOMAIN_COMMON_AGGREGATE_CACHE_H_
