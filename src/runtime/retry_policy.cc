#include "runtime/retry_policy.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/check.h"

namespace stockpile::runtime {

double SeededJitter::NextFraction() {
  std::lock_guard<std::mutex> lock(mu_);
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine_);
}

core::Status RetryPolicy::Validate() const {
  if (max_attempts < 1) {
    return core::InvalidArgumentError(
        "retry policy: max_attempts must be >= 1");
  }
  if (base_delay.count() < 0) {
    return core::InvalidArgumentError(
        "retry policy: base_delay must not be negative");
  }
  if (!(multiplier >= 1.0) || !std::isfinite(multiplier)) {
    return core::InvalidArgumentError(
        "retry policy: multiplier must be a finite number >= 1");
  }
  if (max_delay < base_delay) {
    return core::InvalidArgumentError(
        "retry policy: max_delay must be >= base_delay");
  }
  return core::Status::Ok();
}

std::chrono::milliseconds RetryPolicy::Ceiling(int next_attempt) const {
  CHECK(next_attempt >= 2) << "no delay before the first attempt";
  const double exponent = static_cast<double>(next_attempt - 2);
  const double millis =
      static_cast<double>(base_delay.count()) * std::pow(multiplier, exponent);
  const double capped =
      std::min(millis, static_cast<double>(max_delay.count()));
  return std::chrono::milliseconds(static_cast<int64_t>(capped));
}

std::chrono::milliseconds RetryPolicy::DelayBefore(int next_attempt,
                                                   JitterSource& jitter) const {
  const std::chrono::milliseconds ceiling = Ceiling(next_attempt);
  const double fraction = std::clamp(jitter.NextFraction(), 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<int64_t>(
      std::floor(static_cast<double>(ceiling.count()) * fraction)));
}

}  // namespace stockpile::runtime
