#include "domain/purchasing/purchasing_subscriptions.h"

#include <string>

#include "runtime/handler_outcome.h"

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
      return runtime::HandlerOutcome::FromStatus(
          replenishment.HandleTriggered(*e));
    }
    return runtime::HandlerOutcome::FromStatus(
        replenishment.HandleStockLow(*e));
  };
  return options;
}

}  // namespace stockpile::domain::purchasing
