// IdempotencyCache: what makes a retried POST safe (DESIGN.md §7). The
// Dispatcher consults it for every authenticated POST that carries an
// `Idempotency-Key` header:
//
//   Begin(tenant, key, fingerprint)
//     -> kNew:        run the handler, then Finish(...) with its response
//     -> kReplay:     answer the stored response; no second effect
//     -> kMismatch:   the key was used with another request: 422
//     -> kInProgress: the first request with this key is still running: 409
//
// Keys are per tenant and kept for `ttl` (24 h) or until `max_entries` or
// `max_bytes` (the stored answers, keys and bookkeeping) is reached: the
// oldest go first, so the cache's memory stays bounded under any load. Only
// final answers are stored: a 5xx or a 503 is forgotten (Abandon), so the
// client's retry runs the request again.
//
// Durability: the cache lives in memory. Commands whose effect must not be
// repeated after a restart derive their ids from the key as well (POST
// /orders: the order id), so a retry after a restart finds the first
// effect instead of making a second one.
//
// Thread-safety: safe for concurrent use.
#ifndef STOCKPILE_API_IDEMPOTENCY_CACHE_H_
#define STOCKPILE_API_IDEMPOTENCY_CACHE_H_

#include <chrono>
#include <cstdint>
#include <list>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "api/response.h"
#include "core/clock.h"

namespace stockpile::api {

inline constexpr std::string_view kIdempotencyKeyHeader = "Idempotency-Key";

struct IdempotencyOptions {
  std::chrono::milliseconds ttl = std::chrono::hours(24);
  size_t max_entries = 100'000;
  size_t max_bytes = 32 << 20;
};

class IdempotencyCache {
 public:
  enum class Outcome { kNew, kReplay, kMismatch, kInProgress };

  struct Lookup {
    Outcome outcome = Outcome::kNew;
    Response stored;  // kReplay
  };

  // `clock` must outlive the cache.
  explicit IdempotencyCache(const core::Clock& clock,
                            IdempotencyOptions options = {});
  IdempotencyCache(const IdempotencyCache&) = delete;
  IdempotencyCache& operator=(const IdempotencyCache&) = delete;

  // `fingerprint` identifies the request (method, path and body); the same
  // key with another fingerprint is a mismatch. kNew reserves the key: the
  // caller must call Finish or Abandon.
  Lookup Begin(std::string_view tenant, std::string_view key,
               std::string fingerprint);
  void Finish(std::string_view tenant, std::string_view key,
              const Response& response);
  void Abandon(std::string_view tenant, std::string_view key);

  size_t size() const;
  // What the entries are counted as against max_bytes.
  size_t bytes() const;

 private:
  struct Entry {
    std::string fingerprint;
    std::optional<Response> response;  // nullopt while in progress
    int64_t expires_at_ms = 0;
    std::list<std::string>::iterator age;  // position in order_
    size_t bytes = 0;                      // counted in bytes_
  };

  static std::string MapKey(std::string_view tenant, std::string_view key);
  void Evict(int64_t now_ms);  // REQUIRES(mu_)

  const core::Clock& clock_;
  const IdempotencyOptions options_;
  mutable std::mutex mu_;
  std::map<std::string, Entry, std::less<>> entries_;  // GUARDED_BY(mu_)
  std::list<std::string> order_;  // GUARDED_BY(mu_) oldest first
  size_t bytes_ = 0;              // GUARDED_BY(mu_) sum of Entry::bytes
};

// The fingerprint of a request for Begin: its method, path and body.
std::string RequestFingerprint(std::string_view method, std::string_view path,
                               std::string_view body);

}  // namespace stockpile::api

#endif  // STOCKPILE_API_IDEMPOTENCY_CACHE_H_
