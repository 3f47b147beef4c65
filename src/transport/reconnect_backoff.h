// ReconnectBackoff: how long to wait before the next reconnection attempt —
// exponential (initial x 2^failures, capped) with full jitter, so a fleet of
// clients that lost the same broker does not come back in lockstep.
//
//   ReconnectBackoff backoff({});
//   while (!Connect().ok()) Sleep(backoff.Next());
//   backoff.Reset();
//
// Thread-safety: none; each connection owner keeps its own.
#ifndef STOCKPILE_TRANSPORT_RECONNECT_BACKOFF_H_
#define STOCKPILE_TRANSPORT_RECONNECT_BACKOFF_H_

#include <chrono>
#include <cstdint>
#include <random>

namespace stockpile::transport {

struct BackoffOptions {
  std::chrono::milliseconds initial{100};
  std::chrono::milliseconds max{5000};
};

class ReconnectBackoff {
 public:
  explicit ReconnectBackoff(BackoffOptions options);

  // A delay uniformly drawn from [0, min(max, initial * 2^failures)];
  // counts one more failure.
  std::chrono::milliseconds Next();
  // After a successful connection.
  void Reset() { failures_ = 0; }

 private:
  const BackoffOptions options_;
  uint32_t failures_ = 0;
  std::mt19937_64 rng_;
};

}  // namespace stockpile::transport

#endif  // STOCKPILE_TRANSPORT_RECONNECT_BACKOFF_H_
