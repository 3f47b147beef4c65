#include "runtime/circuit_breaker.h"

namespace stockpile::runtime {

core::Status CircuitBreakerOptions::Validate() const {
  if (failure_threshold < 0) {
    return core::InvalidArgumentError(
        "circuit breaker: failure_threshold must be >= 0");
  }
  if (cool_down.count() < 0) {
    return core::InvalidArgumentError(
        "circuit breaker: cool_down must be >= 0");
  }
  return core::Status::Ok();
}

std::string_view CircuitStateName(CircuitState state) {
  switch (state) {
    case CircuitState::kClosed:
      return "closed";
    case CircuitState::kOpen:
      return "open";
    case CircuitState::kHalfOpen:
      return "half_open";
  }
  return "unknown";
}

CircuitBreaker::Permit CircuitBreaker::Acquire(int64_t now_ms) {
  if (options_.failure_threshold == 0) return Permit::kNormal;
  std::lock_guard<std::mutex> lock(mu_);
  switch (state_) {
    case CircuitState::kClosed:
      return Permit::kNormal;
    case CircuitState::kOpen:
      if (now_ms < open_until_ms_) return Permit::kDenied;
      state_ = CircuitState::kHalfOpen;
      open_until_ms_ = 0;
      probe_running_ = true;
      return Permit::kProbe;
    case CircuitState::kHalfOpen:
      if (probe_running_) return Permit::kDenied;
      probe_running_ = true;
      return Permit::kProbe;
  }
  return Permit::kDenied;
}

void CircuitBreaker::Record(Permit permit, bool success, int64_t now_ms) {
  if (options_.failure_threshold == 0 || permit == Permit::kDenied) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (permit == Permit::kProbe) {
    probe_running_ = false;
    if (success) {
      state_ = CircuitState::kClosed;
      consecutive_failures_ = 0;
    } else {
      OpenLocked(now_ms);
    }
    return;
  }
  // A delivery that started while closed; it has no say once the breaker
  // left the closed state.
  if (state_ != CircuitState::kClosed) return;
  if (success) {
    consecutive_failures_ = 0;
    return;
  }
  if (++consecutive_failures_ >= options_.failure_threshold) {
    OpenLocked(now_ms);
  }
}

void CircuitBreaker::Release(Permit permit) {
  if (permit != Permit::kProbe) return;
  std::lock_guard<std::mutex> lock(mu_);
  probe_running_ = false;
}

void CircuitBreaker::OpenLocked(int64_t now_ms) {
  state_ = CircuitState::kOpen;
  open_until_ms_ = now_ms + options_.cool_down.count();
  consecutive_failures_ = 0;
  opens_ += 1;
}

CircuitState CircuitBreaker::state() const {
  std::lock_guard<std::mutex> lock(mu_);
  return state_;
}

int64_t CircuitBreaker::opens() const {
  std::lock_guard<std::mutex> lock(mu_);
  return opens_;
}

int64_t CircuitBreaker::open_until_ms() const {
  std::lock_guard<std::mutex> lock(mu_);
  return state_ == CircuitState::kOpen ? open_until_ms_ : 0;
}

}  // namespace stockpile::runtime
