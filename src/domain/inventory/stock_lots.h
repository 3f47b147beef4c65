// Lots: the buckets a location's onHand is made of. A receipt puts its
// quantity into the bucket of its (lotNumber, expiryDate); stock received
// without either is a bucket of its own (lotNumber "" and no expiry), and
// so is stock that appears without a receipt (a positive adjustment, a
// return). Every movement that changes onHand names the lots it changed,
// so onHand == the sum of the location's lot quantities, always.
//
// First-expiry-first-out: lots are taken in the order of their expiry
// date, earliest first, lots without an expiry date last, ties by lot
// number. A lot whose expiry date is before `today` ("YYYY-MM-DD") is
// expired; TakeFefo can leave expired lots to the end (a shipment or a
// sale hands out good stock first) or not (a write-off takes the oldest).
//
//   std::vector<Lot> lots;
//   AddLots(lots, {{"L-1", "2026-03-01", 10}, {"", "", 5}});
//   std::vector<Lot> taken = TakeFefo(lots, 12, "2026-01-01", true);
//   // taken == {{"L-1", "2026-03-01", 10}, {"", "", 2}}
//   RemoveLots(lots, taken);  // lots == {{"", "", 3}}
//
// Thread-safety: plain values and pure functions.
#ifndef STOCKPILE_DOMAIN_INVENTORY_STOCK_LOTS_H_
#define STOCKPILE_DOMAIN_INVENTORY_STOCK_LOTS_H_

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace stockpile::domain::inventory {

struct Lot {
  std::string lot_number;   // "" = stock without a lot number
  std::string expiry_date;  // YYYY-MM-DD; "" = does not expire
  int64_t quantity = 0;

  // Expired on `today` (YYYY-MM-DD): the expiry date is before it.
  bool ExpiredOn(std::string_view today) const {
    return !expiry_date.empty() && expiry_date < today;
  }
  friend bool operator==(const Lot&, const Lot&) = default;
};

// Adds each lot's quantity to its bucket; `lots` stays in FEFO order.
void AddLots(std::vector<Lot>& lots, const std::vector<Lot>& added);
// Subtracts each lot's quantity from its bucket and drops empty buckets.
// Taking more than a bucket holds leaves it negative (a caller's checks
// refuse such a state before it is appended).
void RemoveLots(std::vector<Lot>& lots, const std::vector<Lot>& taken);
// The lots `quantity` (> 0) takes, first-expiry-first-out; with
// `good_first`, lots expired on `today` only after all others. What the
// lots cannot cover is taken from the no-lot bucket.
std::vector<Lot> TakeFefo(const std::vector<Lot>& lots, int64_t quantity,
                          std::string_view today, bool good_first);
// The quantity of lots expired on `today`.
int64_t ExpiredQuantity(const std::vector<Lot>& lots, std::string_view today);

// [{lotNumber, expiryDate?, quantity}] and back (malformed entries are
// skipped).
boost::json::array LotsToJson(const std::vector<Lot>& lots);
std::vector<Lot> LotsFromJson(const boost::json::value* v);

}  // namespace stockpile::domain::inventory

#endif  // STOCKPILE_DOMAIN_INVENTORY_STOCK_LOTS_H_
