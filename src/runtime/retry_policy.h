// RetryPolicy: how often and how soon a failed event is tried again before
// it is parked (DESIGN.md §7: 5 attempts, 1 s base delay, x2, 30 s cap,
// full jitter).
//
//   RetryPolicy policy;                        // the defaults above
//   SeededJitter jitter(42);                   // deterministic (tests)
//   if (policy.ShouldRetry(attempts_made)) {
//     auto delay = policy.DelayBefore(attempts_made + 1, jitter);
//   }
//
// Attempts count every call of the handler, the first one included: with
// max_attempts = 5 an event is tried 5 times, then parked.
// Full jitter: the delay before attempt n+1 is uniform in
// [0, min(max_delay, base_delay * multiplier^(n-1))].
//
// Thread-safety: RetryPolicy is a plain value. JitterSource implementations
// here are safe for concurrent use.
#ifndef STOCKPILE_RUNTIME_RETRY_POLICY_H_
#define STOCKPILE_RUNTIME_RETRY_POLICY_H_

#include <chrono>
#include <cstdint>
#include <mutex>
#include <random>

#include "core/status.h"

namespace stockpile::runtime {

// A source of jitter fractions in [0, 1).
class JitterSource {
 public:
  virtual ~JitterSource() = default;
  virtual double NextFraction() = 0;
};

// Pseudo-random jitter from a fixed seed: the same seed gives the same
// sequence (tests, reproducible runs). Production seeds it from
// std::random_device.
class SeededJitter final : public JitterSource {
 public:
  explicit SeededJitter(uint64_t seed) : engine_(seed) {}
  double NextFraction() override;

 private:
  std::mutex mu_;
  std::mt19937_64 engine_;  // GUARDED_BY(mu_)
};

// Always the same fraction (tests that need an exact schedule; 1.0 - tiny
// gives the full exponential delay).
class FixedJitter final : public JitterSource {
 public:
  explicit FixedJitter(double fraction) : fraction_(fraction) {}
  double NextFraction() override { return fraction_; }

 private:
  const double fraction_;
};

struct RetryPolicy {
  int max_attempts = 5;  // >= 1; 1 = never retry
  std::chrono::milliseconds base_delay{1000};
  double multiplier = 2.0;  // >= 1
  std::chrono::milliseconds max_delay{30000};

  // InvalidArgument naming the field when a value is out of range.
  core::Status Validate() const;

  // True when an event that has failed `attempts_made` times may be tried
  // again.
  bool ShouldRetry(int attempts_made) const {
    return attempts_made < max_attempts;
  }

  // The un-jittered ceiling before attempt `next_attempt` (>= 2):
  // min(max_delay, base_delay * multiplier^(next_attempt - 2)).
  std::chrono::milliseconds Ceiling(int next_attempt) const;

  // The jittered delay before attempt `next_attempt` (>= 2), in
  // [0, Ceiling(next_attempt)].
  std::chrono::milliseconds DelayBefore(int next_attempt,
                                        JitterSource& jitter) const;
};

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_RETRY_POLICY_H_
