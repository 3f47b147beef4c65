#include "runtime/dead_letter.h"

#include <string>

#include "core/uuid.h"

namespace stockpile::runtime {

std::string_view DeadLetterStateName(DeadLetterState state) {
  switch (state) {
    case DeadLetterState::kRetrying:
      return "retrying";
    case DeadLetterState::kParked:
      return "parked";
    case DeadLetterState::kRedriveRequested:
      return "redrive_requested";
  }
  return "unknown";
}

core::Result<DeadLetterState> ParseDeadLetterState(std::string_view name) {
  for (DeadLetterState s :
       {DeadLetterState::kRetrying, DeadLetterState::kParked,
        DeadLetterState::kRedriveRequested}) {
    if (DeadLetterStateName(s) == name) return s;
  }
  return core::InvalidArgumentError("unknown dead letter state '" +
                                    std::string(name) + "'");
}

core::Status CheckRedrivable(const DeadLetter& record) {
  if (record.state == DeadLetterState::kRetrying) {
    return core::FailedPreconditionError("dead letter '" + record.id +
                                         "' is still being retried");
  }
  return core::Status::Ok();
}

core::Status CheckDiscardable(const DeadLetter& record) {
  if (record.state != DeadLetterState::kParked) {
    return core::FailedPreconditionError(
        "dead letter '" + record.id + "' is " +
        std::string(DeadLetterStateName(record.state)) + ", not parked");
  }
  return core::Status::Ok();
}

std::string DeadLetterId(std::string_view subscription,
                         std::string_view event_id) {
  std::string name(subscription);
  name.push_back('\n');
  name.append(event_id);
  return core::Uuid::FromName("stockpile.dead-letter", name).ToString();
}

}  // namespace stockpile::runtime
