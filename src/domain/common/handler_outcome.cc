#include "domain/common/handler_outcome.h"

namespace stockpile::domain::common {

runtime::HandlerOutcome ToOutcome(const core::Status& status) {
  return runtime::HandlerOutcome::FromStatus(status);
}

}  // namespace stockpile::domain::common
