// The inventory service's subscriptions: what it does when other services'
// events arrive (services never call each other, DESIGN.md §4.1).
//
//   "inventory.reservations"  order.created   -> reserve every line
//                             order.cancelled,
//                             order.rejected  -> release the reservation
//                             order.shipped   -> commit it (onHand falls)
//
//   ASSIGN_OR_RETURN(auto consumer, runtime::Consumer::Start(
//       ReservationSubscription(reservations), consumer_deps));
//
// Ownership: the handler borrows `reservations`, which must outlive the
// consumer. Thread-safety: the handler is safe for concurrent use.
#ifndef STOCKPILE_DOMAIN_INVENTORY_INVENTORY_SUBSCRIPTIONS_H_
#define STOCKPILE_DOMAIN_INVENTORY_INVENTORY_SUBSCRIPTIONS_H_

#include "domain/inventory/reservation_service.h"
#include "runtime/consumer_options.h"

namespace stockpile::domain::inventory {

inline constexpr std::string_view kReservationSubscription =
    "inventory.reservations";

// Options with the name, patterns and handler set; the caller adds the
// retry policy and worker count.
runtime::ConsumerOptions ReservationSubscription(
    ReservationService& reservations);

}  // namespace stockpile::domain::inventory

#endif  // STOCKPILE_DOMAIN_INVENTORY_INVENTORY_SUBSCRIPTIONS_H_
