// StockItemState: all stock of one product across the tenant's locations —
// the inventory aggregate, in the stream "stock-<productId>".
//
// Why one stream per product (and not per position or per location): every
// movement of a product — receipt, adjustment, transfer out -> in transit ->
// in, a hold for an order, its release or commit — is one append with an
// exact expected version to one stream, so a product's positions can never
// be changed by two commands from the same state. An order's multi-product
// reservation spans several such streams; reservation_service.h explains
// how it stays all-or-nothing.
//
// Per location: onHand, reserved (held for orders), backordered (held for
// orders of products that allow backorders, beyond the stock there was;
// filled, oldest first, by the next stock that becomes available at the
// location — inventory.position.backorder_filled — before any new order
// can take it), inTransit (transfers on their way in), the lots onHand is made
// of (stock_lots.h; onHand == the sum of their quantities), and whether it is
// currently low (below or at the reorder point; inventory.stock.low / restored
// fire on the crossings). available = onHand - reserved - expired, where
// expired is the quantity of lots whose expiry date is before today (the UTC
// date of DomainDeps' clock): expired stock is never allocated. No command
// makes available negative (it can turn negative only by lots expiring under
// reservations taken earlier; commands then do not make it worse).
//
// Thread-safety: a plain value.
#ifndef STOCKPILE_DOMAIN_INVENTORY_STOCK_ITEM_STATE_H_
#define STOCKPILE_DOMAIN_INVENTORY_STOCK_ITEM_STATE_H_

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/result.h"
#include "domain/inventory/stock_lots.h"

namespace stockpile::domain::inventory {

inline constexpr std::string_view kStockReceived = "inventory.stock.received";
inline constexpr std::string_view kStockAdjusted = "inventory.stock.adjusted";
inline constexpr std::string_view kStockLow = "inventory.stock.low";
inline constexpr std::string_view kStockRestored = "inventory.stock.restored";
inline constexpr std::string_view kTransferInitiated =
    "inventory.transfer.initiated";
inline constexpr std::string_view kTransferCompleted =
    "inventory.transfer.completed";
inline constexpr std::string_view kPositionReserved =
    "inventory.position.reserved";
inline constexpr std::string_view kPositionReleased =
    "inventory.position.released";
inline constexpr std::string_view kPositionCommitted =
    "inventory.position.committed";
inline constexpr std::string_view kBackorderFilled =
    "inventory.position.backorder_filled";

std::string StockStream(std::string_view product_id);

struct Allocation {
  std::string location_id;
  int64_t quantity = 0;
  // On inventory.position.committed: the lots the shipment took.
  std::vector<Lot> lots;
  // Units of the hold at this location still waiting for stock (a
  // backorder; not part of `quantity`).
  int64_t backordered = 0;
  friend bool operator==(const Allocation&, const Allocation&) = default;
};

// [{locationId, quantity, backordered?, lots?}] and back (malformed
// entries are skipped).
boost::json::array AllocationsToJson(const std::vector<Allocation>& a);
std::vector<Allocation> AllocationsFromJson(const boost::json::value* v);

struct LocationStock {
  int64_t on_hand = 0;
  int64_t reserved = 0;
  int64_t in_transit = 0;
  int64_t backordered = 0;  // held for orders, waiting for stock
  bool low = false;
  std::vector<Lot> lots;  // FEFO order; quantities sum to on_hand

  // The quantity of lots expired on `today` (YYYY-MM-DD).
  int64_t Expired(std::string_view today) const {
    return ExpiredQuantity(lots, today);
  }
  // What a reservation may still take on `today`: onHand - reserved -
  // expired (negative when lots expired under earlier reservations).
  int64_t Available(std::string_view today) const {
    return on_hand - reserved - Expired(today);
  }
};

struct OpenTransfer {
  std::string from;
  std::string to;
  int64_t quantity = 0;
  std::vector<Lot> lots;  // taken out of `from`, arriving at `to`
};

// Units of an order waiting for stock at a location.
struct Backorder {
  std::string order_id;
  std::string location_id;
  int64_t quantity = 0;
};

struct StockItemState {
  static constexpr int kSnapshotSchema = 4;

  std::map<std::string, LocationStock> locations;
  std::map<std::string, std::vector<Allocation>> holds;  // by orderId
  std::map<std::string, OpenTransfer> transfers;         // by transferId
  std::vector<Backorder> backorders;  // oldest first: the order they fill
  // The highest receipt number received per purchase order.
  std::map<std::string, int64_t> po_receipts;

  // True when receipt `receipt_number` (> 0) of the purchase order has
  // been received already.
  bool AlreadyReceived(std::string_view purchase_order_id,
                       int64_t receipt_number) const;

  // A location never touched has all zeros.
  LocationStock At(std::string_view location_id) const;

  void Apply(const core::Event& e);
  // A copy to fold `events` into, to see what they lead to: equal to this
  // state except that it holds only the holds those events or the waiting
  // backorders name (no event reads any other). A product holds stock for
  // every open order, so a full copy per command made each command cost
  // time in proportion to the product's open orders.
  StockItemState TrialCopy(const std::vector<core::Event>& events) const;
  boost::json::object ToSnapshot() const;
  static core::Result<StockItemState> FromSnapshot(
      const boost::json::object& o);
};

}  // namespace stockpile::domain::inventory

#endif  // STOCKPILE_DOMAIN_INVENTORY_STOCK_ITEM_STATE_H_
