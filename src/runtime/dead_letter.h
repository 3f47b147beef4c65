// DeadLetter: the failure record of one event in one subscription
// (DESIGN.md §7 "dead letter"). While the event is being retried the record
// is kRetrying and holds the next attempt time, so a retry schedule survives
// a restart; after the last attempt (or a permanent error) it is kParked and
// listed in the dead-letter queue until it is redriven or discarded.
//
// The record keeps the encoded event, so a redrive does not depend on the
// log still holding it (scavenged streams, transport-fed subscriptions).
//
// Thread-safety: a plain value.
#ifndef STOCKPILE_RUNTIME_DEAD_LETTER_H_
#define STOCKPILE_RUNTIME_DEAD_LETTER_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace stockpile::runtime {

enum class DeadLetterState {
  kRetrying,          // failed, another attempt at next_attempt_at_ms
  kParked,            // out of attempts; waits for an operator
  kRedriveRequested,  // an operator asked for one more delivery
};

// "retrying", "parked", "redrive_requested".
std::string_view DeadLetterStateName(DeadLetterState state);
core::Result<DeadLetterState> ParseDeadLetterState(std::string_view name);

struct DeadLetter {
  std::string id;  // DeadLetterId(subscription, event_id)
  std::string subscription;
  std::string event_id;
  std::string event_type;
  std::string tenant_id;
  std::string aggregate_id;
  int64_t position = 0;  // in the log; 0 when unknown (transport)
  std::string error;     // the last failure
  int attempts = 0;      // handler calls that failed
  int64_t first_failed_at_ms = 0;
  int64_t last_failed_at_ms = 0;
  DeadLetterState state = DeadLetterState::kRetrying;
  int64_t next_attempt_at_ms = 0;  // kRetrying only
  std::string event_json;          // core::EncodeEvent of the event

  friend bool operator==(const DeadLetter&, const DeadLetter&) = default;
};

// The operator's preconditions, the same for every DeadLetterStore:
// a redrive needs a record that is no longer being retried, a discard a
// parked one. FailedPrecondition otherwise.
core::Status CheckRedrivable(const DeadLetter& record);
core::Status CheckDiscardable(const DeadLetter& record);

// A stable id per (subscription, eventId): failing again after a redrive
// updates the same record.
std::string DeadLetterId(std::string_view subscription,
                         std::string_view event_id);

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_DEAD_LETTER_H_
