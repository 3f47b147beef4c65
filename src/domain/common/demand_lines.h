// DemandLineReader: the units that left stock to customers, read from the
// log — what forecasting calls demand and analytics units sold.
//
//   inventory.stock.committed    an order shipped: each of its lines
//                                {productId, locationId, quantity}
//   sales.sale.completed         a point-of-sale sale: each line
//                                {productId, quantity} at its locationId
//   inventory.stock.adjusted     reason "sale" with delta < 0: -delta units
//                                (a sale booked by hand)
//
// order.shipped itself carries no lines, so shipments are read from the
// commit inventory records for them. A sale-reason adjustment caused by a
// sales.sale.completed already counted (its causationId names that sale
// event) is the same sale moving stock and is not counted twice.
//
//   DemandLineReader reader;
//   for (const DemandLine& l : reader.Read(*event)) ...
//
// Thread-safety: not thread-safe (it remembers the sale events counted,
// per tenant); the owning read model calls Read under its lock, in log
// order.
#ifndef STOCKPILE_DOMAIN_COMMON_DEMAND_LINES_H_
#define STOCKPILE_DOMAIN_COMMON_DEMAND_LINES_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/event.h"

namespace stockpile::domain::common {

struct DemandLine {
  std::string product_id;
  std::string location_id;
  int64_t quantity = 0;  // > 0
};

class DemandLineReader {
 public:
  // The demand `e` records; empty for any other event.
  std::vector<DemandLine> Read(const core::Event& e);

 private:
  // eventIds of the sales.sale.completed counted, per tenant.
  std::map<std::string, std::set<std::string, std::less<>>, std::less<>> sales_;
};

}  // namespace stockpile::domain::common

#endif  // STOCKPILE_DOMAIN_COMMON_DEMAND_LINES_H_
