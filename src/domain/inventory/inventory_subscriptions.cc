#include "domain/inventory/inventory_subscriptions.h"

#include <string>

#include "runtime/handler_outcome.h"

namespace stockpile::domain::inventory {

runtime::ConsumerOptions ReservationSubscription(
    ReservationService& reservations) {
  runtime::ConsumerOptions options;
  options.name = std::string(kReservationSubscription);
  options.type_patterns = {"order.created", "order.cancelled", "order.rejected",
                           "order.shipped"};
  options.handler = [&reservations](const core::EventPtr& e,
                                    runtime::HandlerContext&) {
    if (e->event_type == "order.created") {
      return runtime::HandlerOutcome::FromStatus(
          reservations.HandleOrderCreated(*e));
    }
    // A rejected order holds nothing; one rejected by the saga's timeout
    // may hold what was reserved after all (order_saga.h).
    if (e->event_type == "order.cancelled" ||
        e->event_type == "order.rejected") {
      return runtime::HandlerOutcome::FromStatus(
          reservations.HandleOrderCancelled(*e));
    }
    return runtime::HandlerOutcome::FromStatus(
        reservations.HandleOrderShipped(*e));
  };
  return options;
}

}  // namespace stockpile::domain::inventory
