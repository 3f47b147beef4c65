#include "domain/purchasing/purchasing_subscriptions.h"

#include <string>

#include "domain/common/handler_outcome.h"

namespace stockpile::domain::purchasing {

runtime::ConsumerOptions ReplenishmentSubscription(
    ReplenishmentService& replenishment) {
  runtime::ConsumerOptions options;
  options.name = std::string(kReplenishmentSubscription);
  options.type_patterns = {"inventory.stock.low",
                           std::string(kReplenishmentTriggered)};
  options.handler = [&replenishment](const core::EventPtr& e,
                                     runtime::HandlerContext&) {
    if (e->event_type == kReplenishmentTriggered) {
      return common::ToOutcome(replenishment.HandleTriggered(*e));
    }
    return common::ToOutcome(replenishment.HandleStockLow(*e));
  };
  return options;
}

}  // namespace stockpile::domain::purchasing
