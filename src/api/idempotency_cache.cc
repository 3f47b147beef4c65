#include "api/idempotency_cache.h"

#include <openssl/evp.h>

#include <array>

namespace stockpile::api {

IdempotencyCache::IdempotencyCache(const core::Clock& clock,
                                   IdempotencyOptions options)
    : clock_(clock), options_(options) {}

std::string IdempotencyCache::MapKey(std::string_view tenant,
                                     std::string_view key) {
  // A tenant id never contains '\n' (JWT claims are validated), so the
  // pair cannot collide with another.
  std::string out(tenant);
  out += '\n';
  out += key;
  return out;
}

namespace {

// Roughly what an entry occupies: its key twice (map and age list), the
// fingerprint, the stored answer, and the nodes around them.
constexpr size_t kEntryOverhead = 256;

size_t ResponseBytes(const Response& response) {
  size_t n = response.body.size();
  for (const auto& [name, value] : response.headers.fields()) {
    n += name.size() + value.size() + 2 * sizeof(std::string);
  }
  return n;
}

}  // namespace

void IdempotencyCache::Evict(int64_t now_ms) {
  while (!order_.empty()) {
    auto it = entries_.find(order_.front());
    const bool expired = it->second.expires_at_ms <= now_ms;
    const bool over =
        entries_.size() > options_.max_entries || bytes_ > options_.max_bytes;
    if (!expired && !over) break;
    // An in-progress entry is old only when its request hangs; evicting it
    // merely lets a retry run (Finish then finds nothing to update).
    bytes_ -= it->second.bytes;
    entries_.erase(it);
    order_.pop_front();
  }
}

IdempotencyCache::Lookup IdempotencyCache::Begin(std::string_view tenant,
                                                 std::string_view key,
                                                 std::string fingerprint) {
  const int64_t now_ms = clock_.NowMillis();
  std::lock_guard<std::mutex> lock(mu_);
  Evict(now_ms);
  const std::string map_key = MapKey(tenant, key);
  auto it = entries_.find(map_key);
  if (it != entries_.end()) {
    Lookup found;
    if (it->second.fingerprint != fingerprint) {
      found.outcome = Outcome::kMismatch;
    } else if (!it->second.response.has_value()) {
      found.outcome = Outcome::kInProgress;
    } else {
      found.outcome = Outcome::kReplay;
      found.stored = *it->second.response;
    }
    return found;
  }
  order_.push_back(map_key);
  Entry entry;
  entry.fingerprint = std::move(fingerprint);
  entry.expires_at_ms = now_ms + options_.ttl.count();
  entry.age = std::prev(order_.end());
  entry.bytes = kEntryOverhead + 2 * map_key.size() + entry.fingerprint.size();
  bytes_ += entry.bytes;
  entries_.emplace(map_key, std::move(entry));
  Evict(now_ms);
  return Lookup{};
}

void IdempotencyCache::Finish(std::string_view tenant, std::string_view key,
                              const Response& response) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(MapKey(tenant, key));
  if (it == entries_.end()) return;
  it->second.response = response;
  const size_t added = ResponseBytes(response);
  it->second.bytes += added;
  bytes_ += added;
  Evict(clock_.NowMillis());
}

void IdempotencyCache::Abandon(std::string_view tenant, std::string_view key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(MapKey(tenant, key));
  if (it == entries_.end() || it->second.response.has_value()) return;
  bytes_ -= it->second.bytes;
  order_.erase(it->second.age);
  entries_.erase(it);
}

size_t IdempotencyCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

size_t IdempotencyCache::bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bytes_;
}

std::string RequestFingerprint(std::string_view method, std::string_view path,
                               std::string_view body) {
  std::string text;
  text.reserve(method.size() + path.size() + body.size() + 2);
  text.append(method).append("\n").append(path).append("\n").append(body);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(text.data(), text.size(), digest.data(), &length, EVP_sha256(),
                 nullptr) != 1) {
    return text;  // the request itself is an exact, if longer, fingerprint
  }
  return std::string(reinterpret_cast<const char*>(digest.data()), length);
}

}  // namespace stockpile::api
