// The order saga (DESIGN.md §4.1) on the saga runtime (runtime/saga.h): one
// instance per order, "orders.fulfilment".
//
//   order.created                       starts it; timer "reservation" at
//                                       createdAt + timeout
//   inventory.stock.reserved            -> OrderService: confirmed; the
//                                          timer is cancelled
//   inventory.stock.reservation_failed  -> OrderService: rejected
//                                          (shortages); the instance ends
//   timer "reservation"                 -> OrderService::RejectIfPending
//                                          ("reservation timed out ..."); the
//                                          instance ends if it rejected
//   payment.succeeded                   -> OrderService: paid
//   inventory.position.backorder_filled -> OrderService: order.backorder_filled
//                                          (it may ship once all are filled)
//
// Each event the saga takes is a step (a load and a save of the
// instance), so it takes none of the order's own later events: a timer
// that fires for an order cancelled meanwhile finds it not pending and
// does nothing.
//
// Inventory's side (reserve on order.created, release on order.rejected or
// cancelled, commit on order.shipped) stays inventory's own subscription,
// so an order rejected by the timeout gets back whatever a late reservation
// held. The timer is durable (runtime_saga_timers): an order pending when
// the process died is rejected by the first poll after it comes back, or
// settles normally if its reservation lands first; the order aggregate's
// optimistic concurrency decides which, never both.
//
//   ASSIGN_OR_RETURN(auto saga, runtime::Saga::Create(
//       OrderSaga(orders, {.timeout = 30s}), saga_deps));
//   consumers.Start(saga->Subscription());
//   saga->Start();
//
// Ownership: the definition borrows `orders`, which must outlive the saga.
// Thread-safety: the callbacks are safe for concurrent use.
#ifndef STOCKPILE_DOMAIN_ORDERS_ORDER_SAGA_H_
#define STOCKPILE_DOMAIN_ORDERS_ORDER_SAGA_H_

#include <chrono>
#include <string_view>

#include "domain/orders/order_service.h"
#include "runtime/saga.h"

namespace stockpile::domain::orders {

inline constexpr std::string_view kOrderSaga = "orders.fulfilment";
inline constexpr std::string_view kReservationTimer = "reservation";

struct OrderSagaOptions {
  // How long an order may stay pending; zero or less: no timeout.
  std::chrono::milliseconds timeout{30'000};
};

runtime::SagaDefinition OrderSaga(OrderService& orders,
                                  OrderSagaOptions options);

}  // namespace stockpile::domain::orders

#endif  // STOCKPILE_DOMAIN_ORDERS_ORDER_SAGA_H_
