// ReservationService: reserves an order's lines all-or-nothing, releases
// them on cancel, commits them on ship — the inventory side of the order
// saga (DESIGN.md §4.1).
//
//   order.created   -> HandleOrderCreated   -> inventory.stock.reserved
//                                            |
//                                            inventory.stock.reservation_failed
//   order.cancelled -> HandleOrderCancelled -> inventory.stock.released
//   order.shipped   -> HandleOrderShipped   -> inventory.stock.committed
//
// Wiring on the runtime's Consumer is one line per type, e.g.
//   [&](const EventPtr& e, HandlerContext&) {
//     return HandlerOutcome::FromStatus(reservations.HandleOrderCreated(*e)); }
// The result events are caused by the order event (causationId) and go to
// the stream "reservation-<orderId>".
//
// How a multi-product reservation stays atomic. Stock lives in one stream
// per product (stock_item_state.h). Reserve works product by product in a
// fixed (sorted) order; for each it appends inventory.position.reserved
// (the order's hold, with the locations allocated) with the exact version
// it checked availability against, so a hold can never make available
// negative: a concurrent change makes the append fail with Conflict and
// the product is re-checked on fresh state. Quantities of one product on
// several lines are summed before checking. If any product is short, the
// holds already taken are released (inventory.position.released) before
// inventory.stock.reservation_failed is written: a failed reservation holds
// nothing once the call returns. The outcome is written last, to the
// order's reservation stream; until then the order's holds are "in flight".
// Holds are keyed by order id in each product's state, so a call that was
// interrupted (crash, store error) and is repeated — the consumer redelivers
// the event — adopts the holds it already took instead of taking them
// twice, and a settled reservation is never redone.
// The price of not locking: while a doomed reservation's holds are in
// flight, a concurrent order may see that stock as reserved and be refused.
//
// Allocation: a line naming a location is served from that location only;
// other lines from the tenant's locations in priority order (catalog
// locations, `main` first at priority 0). Stock in lots whose expiry date
// is before today (the UTC date of DomainDeps' clock, not the tenant's
// business date) is never allocated. A hold is a quantity per location,
// not per lot: the shipment (Commit) takes the lots, unexpired ones first-
// expiry-first-out, and inventory.position.committed / inventory.stock.
// committed name them (`lots` of each allocation / line).
//
// Backorders: for a product with allowBackorder (catalog), a line for more
// than is available is reserved anyway: the shortfall is held as
// `backordered` (at the line's named location, else the first location in
// priority order) in the hold, in the position and in the lines of
// inventory.stock.reserved (plus its total `backordered`), and the order is
// confirmed. Stock that later becomes available there (receipt, positive
// adjustment, arriving transfer, released reservation) fills backorders
// oldest first, in the same append, before any new order can take it
// (inventory.position.backorder_filled). Commit refuses an order with
// units still on backorder (FailedPrecondition). Without allowBackorder a
// reservation is all-or-nothing and never makes available negative.
//
// Errors: InvalidArgument (malformed order), NotFound (Commit without a
// reservation), FailedPrecondition (Commit of a reservation that is not
// held, or with units still on backorder), store errors (Unavailable, ...:
// retry the call).
//
// Ownership: borrows DomainDeps and the CatalogReader. Thread-safety: safe
// for concurrent use; calls for one order must not run concurrently (the
// consumer delivers one aggregate's events one at a time).
#ifndef STOCKPILE_DOMAIN_INVENTORY_RESERVATION_SERVICE_H_
#define STOCKPILE_DOMAIN_INVENTORY_RESERVATION_SERVICE_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/result.h"
#include "domain/catalog/catalog_reader.h"
#include "domain/common/aggregate_repository.h"
#include "domain/common/command_context.h"
#include "domain/inventory/reservation_state.h"
#include "domain/inventory/stock_item_state.h"

namespace stockpile::domain::inventory {

struct ReservationRequest {
  std::string product_id;
  int64_t quantity = 0;     // > 0
  std::string location_id;  // "" = any location, by priority
};

struct ReservationOutcome {
  bool reserved = false;
  std::vector<ReservedLine> lines;  // when reserved
  std::vector<Shortage> shortages;  // when not
  std::string reason;               // when not
};

class ReservationService {
 public:
  ReservationService(const common::DomainDeps& deps,
                     const catalog::CatalogReader& catalog);

  // Reserves every line or nothing, and records the outcome. Idempotent per
  // order: once settled, returns the recorded outcome and appends nothing.
  core::Result<ReservationOutcome> Reserve(
      const common::CommandContext& ctx, std::string_view order_id,
      const std::vector<ReservationRequest>& lines);
  // Frees the order's holds. A no-op for a reservation that failed or was
  // already released or committed; for one never attempted it records the
  // release so that a late Reserve for the order reserves nothing. Holds
  // of a Reserve that returned an error are found only by repeating that
  // Reserve: if it is parked as a dead letter and the cancel is handled
  // first, redriving it releases them (the order is then settled as
  // released, so Reserve frees what it finds held).
  core::Status Release(const common::CommandContext& ctx,
                       std::string_view order_id, std::string_view reason);
  // Takes the held quantities out of onHand at the locations reserved.
  // Idempotent once committed.
  core::Status Commit(const common::CommandContext& ctx,
                      std::string_view order_id);

  // The reservation as it stands: the lines of a held reservation count
  // the backordered units filled since it was made as held (quantity up,
  // backordered down), as Commit would see them.
  core::Result<ReservationState> GetReservation(
      std::string_view tenant, std::string_view order_id) const;

  // The saga handlers: the order event's tenant and id, the result caused
  // by it. InvalidArgument for a payload that is not a valid order (a
  // permanent failure), other errors are worth retrying.
  core::Status HandleOrderCreated(const core::Event& order_created);
  core::Status HandleOrderCancelled(const core::Event& order_cancelled);
  core::Status HandleOrderShipped(const core::Event& order_shipped);

 private:
  struct ProductNeed {
    int64_t total = 0;
    std::map<std::string, int64_t> at;  // named location -> quantity
    int64_t anywhere = 0;
  };
  // Takes (or adopts) this order's hold on one product. False in `short`
  // with the available quantity when it cannot.
  core::Status HoldProduct(const common::CommandContext& ctx,
                           std::string_view order_id,
                           const std::string& product_id,
                           const ProductNeed& need,
                           const std::vector<std::string>& location_order,
                           bool& shortage, int64_t& available,
                           std::vector<Allocation>& held);
  // Appends `type` (released / committed) for this order's hold on each
  // product that has one; a commit takes lots first-expiry-first-out.
  // With `settled`, replaces the lines of each product settled now with
  // the allocations settled (and their lots).
  core::Status SettleHolds(const common::CommandContext& ctx,
                           std::string_view order_id,
                           const std::vector<std::string>& products,
                           std::string_view type,
                           std::vector<ReservedLine>* settled = nullptr);
  core::Status RecordOutcome(const common::CommandContext& ctx,
                             std::string_view order_id, std::string_view type,
                             boost::json::object payload);

  // Immutable after construction.
  const common::DomainDeps deps_;
  const catalog::CatalogReader& catalog_;
  common::AggregateRepository<StockItemState> items_;
  common::AggregateRepository<ReservationState> reservations_;
};

}  // namespace stockpile::domain::inventory

#endif  // STOCKPILE_DOMAIN_INVENTORY_RESERVATION_SERVICE_H_
