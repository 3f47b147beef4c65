// CircuitBreaker: stops a subscription from hammering a failing dependency.
// After `failure_threshold` consecutive handler failures it opens: no
// delivery starts for `cool_down` (clock time). Then it is half-open: one
// delivery (the probe) may start; its success closes the breaker, its
// failure opens it again for another cool-down.
//
//   CircuitBreaker breaker({.failure_threshold = 5,
//                           .cool_down = std::chrono::seconds(30)});
//   CircuitBreaker::Permit permit = breaker.Acquire(clock.NowMillis());
//   if (permit == CircuitBreaker::Permit::kDenied) { ...wait...; }
//   ...deliver...
//   breaker.Record(permit, success, clock.NowMillis());
//   // or breaker.Release(permit) when the delivery did not test the handler
//
// A threshold of 0 turns the breaker off: Acquire always answers kNormal.
// Outcomes of deliveries that started before the breaker opened do not
// change an open breaker (nor count towards the threshold again).
//
// Thread-safety: safe for concurrent use.
#ifndef STOCKPILE_RUNTIME_CIRCUIT_BREAKER_H_
#define STOCKPILE_RUNTIME_CIRCUIT_BREAKER_H_

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string_view>

#include "core/status.h"

namespace stockpile::runtime {

struct CircuitBreakerOptions {
  int failure_threshold = 0;  // consecutive failures that open it; 0 = off
  std::chrono::milliseconds cool_down{30000};  // clock time open

  // InvalidArgument for a negative threshold or cool-down.
  core::Status Validate() const;
};

enum class CircuitState { kClosed, kOpen, kHalfOpen };

// "closed", "open", "half_open".
std::string_view CircuitStateName(CircuitState state);

class CircuitBreaker {
 public:
  enum class Permit {
    kDenied,  // open (or a probe is running): do not start a delivery
    kNormal,  // closed: deliver
    kProbe,   // half-open: this delivery decides
  };

  explicit CircuitBreaker(CircuitBreakerOptions options) : options_(options) {}

  // Asks to start one delivery at clock time `now_ms`. An open breaker
  // whose cool-down has passed turns half-open and grants one kProbe.
  Permit Acquire(int64_t now_ms);

  // Reports how a delivery started with `permit` ended.
  void Record(Permit permit, bool success, int64_t now_ms);

  // Gives `permit` back without a verdict (the delivery did not reach the
  // handler); a released probe lets the next Acquire probe instead.
  void Release(Permit permit);

  CircuitState state() const;
  // How often the breaker has opened (re-opening after a probe included).
  int64_t opens() const;
  // Clock time the current cool-down ends; 0 unless open.
  int64_t open_until_ms() const;

 private:
  void OpenLocked(int64_t now_ms);

  const CircuitBreakerOptions options_;
  mutable std::mutex mu_;
  CircuitState state_ = CircuitState::kClosed;  // GUARDED_BY(mu_)
  int consecutive_failures_ = 0;                // GUARDED_BY(mu_)
  bool probe_running_ = false;                  // GUARDED_BY(mu_)
  int64_t open_until_ms_ = 0;                   // GUARDED_BY(mu_)
  int64_t opens_ = 0;                           // GUARDED_BY(mu_)
};

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_CIRCUIT_BREAKER_H_
