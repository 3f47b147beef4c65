#include "transport/reconnect_backoff.h"

#include <algorithm>

namespace stockpile::transport {

ReconnectBackoff::ReconnectBackoff(BackoffOptions options)
    : options_(options), rng_(std::random_device{}()) {}

std::chrono::milliseconds ReconnectBackoff::Next() {
  int64_t ceiling = options_.initial.count();
  for (uint32_t i = 0; i < failures_ && ceiling < options_.max.count(); ++i) {
    ceiling *= 2;
  }
  ceiling = std::min<int64_t>(ceiling, options_.max.count());
  ++failures_;
  std::uniform_int_distribution<int64_t> pick(0, std::max<int64_t>(ceiling, 0));
  return std::chrono::milliseconds(pick(rng_));
}

}  // namespace stockpile::transport
