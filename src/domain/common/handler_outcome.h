// ToOutcome: a domain handler's Status as the consumer runtime's outcome
// (runtime::HandlerOutcome::FromStatus, the one rule for every handler).
// A malformed event or a state that cannot change by waiting
// (InvalidArgument, FailedPrecondition) is permanent — retrying cannot help,
// so it is parked at once; anything else (Unavailable, Conflict, ...) is
// retried with the subscription's policy.
//
// Thread-safety: a pure function.
#ifndef STOCKPILE_DOMAIN_COMMON_HANDLER_OUTCOME_H_
#define STOCKPILE_DOMAIN_COMMON_HANDLER_OUTCOME_H_

#include "core/status.h"
#include "runtime/handler_outcome.h"

namespace stockpile::domain::common {

runtime::HandlerOutcome ToOutcome(const core::Status& status);

}  // namespace stockpile::domain::common

#endif  // STOCKPILE_DOMAIN_COMMON_HANDLER_OUTCOME_H_
