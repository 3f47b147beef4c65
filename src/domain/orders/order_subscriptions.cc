#include "domain/orders/order_subscriptions.h"

#include <string>

#include "domain/common/handler_outcome.h"

namespace stockpile::domain::orders {

runtime::ConsumerOptions SettlementSubscription(OrderService& orders) {
  runtime::ConsumerOptions options;
  options.name = std::string(kSettlementSubscription);
  options.type_patterns = {
      "inventory.stock.reserved", "inventory.stock.reservation_failed",
      "inventory.position.backorder_filled", "payment.succeeded"};
  options.handler = [&orders](const core::EventPtr& e,
                              runtime::HandlerContext&) {
    if (e->event_type == "payment.succeeded") {
      return common::ToOutcome(orders.HandlePaymentSucceeded(*e));
    }
    if (e->event_type == "inventory.position.backorder_filled") {
      return common::ToOutcome(orders.HandleBackorderFilled(*e));
    }
    return common::ToOutcome(orders.HandleReservationResult(*e));
  };
  return options;
}

}  // namespace stockpile::domain::orders
