#include "domain/common/handler_outcome.h"

namespace stockpile::domain::common {

runtime::HandlerOutcome ToOutcome(const core::Status& status) {
  if (status.ok()) return runtime::HandlerOutcome::Ok();
  switch (status.code()) {
    case core::StatusCode::kInvalidArgument:
    case core::StatusCode::kFailedPrecondition:
      return runtime::HandlerOutcome::Permanent(status.ToString());
    default:
      return runtime::HandlerOutcome::Retryable(status.ToString());
  }
}

}  // namespace stockpile::domain::common
