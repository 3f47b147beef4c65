// ReservationState: the outcome of reserving one order's lines, in the
// stream "reservation-<orderId>" (aggregateType inventory_reservation),
// folded from inventory.stock.reserved / reservation_failed / released /
// committed. It is what makes the order saga's reservation step idempotent:
// once settled, handling the same order.created again changes nothing.
//
// Thread-safety: a plain value.
#ifndef STOCKPILE_DOMAIN_INVENTORY_RESERVATION_STATE_H_
#define STOCKPILE_DOMAIN_INVENTORY_RESERVATION_STATE_H_

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/result.h"
#include "domain/inventory/stock_lots.h"

namespace stockpile::domain::inventory {

inline constexpr std::string_view kStockReserved = "inventory.stock.reserved";
inline constexpr std::string_view kReservationFailed =
    "inventory.stock.reservation_failed";
inline constexpr std::string_view kStockReleased = "inventory.stock.released";
inline constexpr std::string_view kStockCommitted = "inventory.stock.committed";

std::string ReservationStream(std::string_view order_id);

// One held quantity of an order: `quantity` of `product_id` at `location_id`.
struct ReservedLine {
  std::string product_id;
  std::string location_id;
  int64_t quantity = 0;
  std::vector<Lot> lots;  // inventory.stock.committed: the lots shipped
  // Units beyond `quantity` waiting for stock (inventory.stock.reserved of
  // a product that allows backorders).
  int64_t backordered = 0;
  friend bool operator==(const ReservedLine&, const ReservedLine&) = default;
};

struct Shortage {
  std::string product_id;
  int64_t requested = 0;  // the order's total for the product
  int64_t available = 0;  // what could be allocated when it was tried
  friend bool operator==(const Shortage&, const Shortage&) = default;
};

boost::json::array LinesToJson(const std::vector<ReservedLine>& lines);
boost::json::array ShortagesToJson(const std::vector<Shortage>& shortages);

struct ReservationState {
  static constexpr int kSnapshotSchema = 2;
  enum class Status { kNone, kReserved, kFailed, kReleased, kCommitted };

  Status status = Status::kNone;
  // Held as reserved (kReserved: backorders as they were then; GetReservation
  // counts fills since), shipped (kCommitted) or last held.
  std::vector<ReservedLine> lines;
  std::vector<Shortage> shortages;  // kFailed
  std::string reason;               // kFailed

  void Apply(const core::Event& e);
  boost::json::object ToSnapshot() const;
  static core::Result<ReservationState> FromSnapshot(
      const boost::json::object& o);
};

}  // namespace stockpile::domain::inventory

#endif  // STOCKPILE_DOMAIN_INVENTORY_RESERVATION_STATE_H_
