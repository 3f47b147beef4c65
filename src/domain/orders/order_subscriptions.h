// The orders service's subscriptions (DESIGN.md §4.1):
//
//   "orders.settlement"  inventory.stock.reserved           -> confirmed
//                        inventory.stock.reservation_failed -> rejected
//                        inventory.position.backorder_filled
//                                    -> order.backorder_filled (may ship)
//                        payment.succeeded                  -> paid
//
//   ASSIGN_OR_RETURN(auto consumer, runtime::Consumer::Start(
//       SettlementSubscription(orders), consumer_deps));
//
// Ownership: the handler borrows `orders`, which must outlive the consumer.
// Thread-safety: the handler is safe for concurrent use.
#ifndef STOCKPILE_DOMAIN_ORDERS_ORDER_SUBSCRIPTIONS_H_
#define STOCKPILE_DOMAIN_ORDERS_ORDER_SUBSCRIPTIONS_H_

#include "domain/orders/order_service.h"
#include "runtime/consumer_options.h"

namespace stockpile::domain::orders {

inline constexpr std::string_view kSettlementSubscription = "orders.settlement";

// Options with the name, patterns and handler set; the caller adds the
// retry policy and worker count.
runtime::ConsumerOptions SettlementSubscription(OrderService& orders);

}  // namespace stockpile::domain::orders

#endif  // STOCKPILE_DOMAIN_ORDERS_ORDER_SUBSCRIPTIONS_H_
