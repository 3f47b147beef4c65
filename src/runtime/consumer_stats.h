// ConsumerStats: a snapshot of one subscription's progress, for the
// operations API (GET /subscriptions) and metrics.
//
// Thread-safety: a plain value.
#ifndef STOCKPILE_RUNTIME_CONSUMER_STATS_H_
#define STOCKPILE_RUNTIME_CONSUMER_STATS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "runtime/circuit_breaker.h"

namespace stockpile::runtime {

enum class ConsumerState {
  kRunning,
  kPaused,       // Pause() was called
  kCircuitOpen,  // the circuit breaker is open or half-open
  kStalled,      // lag > 0 and no progress for ConsumerOptions::stall_after
  kFailed,       // the source ended with an error and could not be restarted
  kStopped,
};

// "running", "paused", "circuit_open", "stalled", "failed", "stopped".
std::string_view ConsumerStateName(ConsumerState state);

struct ConsumerStats {
  std::string name;
  int64_t position = 0;    // the checkpoint (everything <= is done)
  int64_t head = 0;        // the source's newest position
  int64_t lag_events = 0;  // head - position: log positions not yet done
  int64_t processed = 0;   // handled successfully (this process)
  int64_t duplicates = 0;  // redeliveries recognised by the inbox
  int64_t retried = 0;     // failed attempts that were scheduled again
  int64_t parked = 0;      // events parked in the dead-letter store
  int64_t batches = 0;     // batches committed (batch handlers)
  int64_t in_flight = 0;   // dispatched, not yet finished
  std::string last_error;  // the newest handler/commit error, "" if none
  int64_t last_progress_at_ms = 0;  // clock time an event last finished
  CircuitState circuit = CircuitState::kClosed;
  int64_t circuit_opens = 0;          // times the breaker opened
  int64_t circuit_open_until_ms = 0;  // end of the cool-down; 0 unless open
  ConsumerState state = ConsumerState::kRunning;
};

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_CONSUMER_STATS_H_
