#include "domain/inventory/stock_lots.h"

#include <algorithm>
#include <boost/json/object.hpp>
#include <tuple>

#include "domain/common/json_fields.h"

namespace stockpile::domain::inventory {

namespace {

// FEFO order: by expiry date (none last), then lot number.
bool Before(const Lot& a, const Lot& b) {
  return std::make_tuple(a.expiry_date.empty(), a.expiry_date, a.lot_number) <
         std::make_tuple(b.expiry_date.empty(), b.expiry_date, b.lot_number);
}

bool SameBucket(const Lot& a, const Lot& b) {
  return a.lot_number == b.lot_number && a.expiry_date == b.expiry_date;
}

}  // namespace

void AddLots(std::vector<Lot>& lots, const std::vector<Lot>& added) {
  for (const Lot& x : added) {
    auto it = std::lower_bound(lots.begin(), lots.end(), x, Before);
    if (it != lots.end() && SameBucket(*it, x)) {
      it->quantity += x.quantity;
    } else {
      lots.insert(it, x);
    }
  }
  std::erase_if(lots, [](const Lot& l) { return l.quantity == 0; });
}

void RemoveLots(std::vector<Lot>& lots, const std::vector<Lot>& taken) {
  std::vector<Lot> negated = taken;
  for (Lot& x : negated) x.quantity = -x.quantity;
  AddLots(lots, negated);
}

std::vector<Lot> TakeFefo(const std::vector<Lot>& lots, int64_t quantity,
                          std::string_view today, bool good_first) {
  std::vector<const Lot*> order;
  order.reserve(lots.size());
  for (const Lot& l : lots) order.push_back(&l);
  if (good_first) {
    std::stable_partition(order.begin(), order.end(),
                          [&](const Lot* l) { return !l->ExpiredOn(today); });
  }
  std::vector<Lot> out;
  for (const Lot* l : order) {
    if (quantity <= 0) break;
    const int64_t take = std::min(quantity, l->quantity);
    if (take <= 0) continue;
    out.push_back(Lot{l->lot_number, l->expiry_date, take});
    quantity -= take;
  }
  if (quantity > 0) {
    auto none = std::find_if(out.begin(), out.end(), [](const Lot& l) {
      return l.lot_number.empty() && l.expiry_date.empty();
    });
    if (none == out.end()) {
      out.push_back(Lot{"", "", quantity});
    } else {
      none->quantity += quantity;
    }
  }
  return out;
}

int64_t ExpiredQuantity(const std::vector<Lot>& lots, std::string_view today) {
  int64_t n = 0;
  for (const Lot& l : lots) {
    if (l.ExpiredOn(today)) n += l.quantity;
  }
  return n;
}

boost::json::array LotsToJson(const std::vector<Lot>& lots) {
  boost::json::array out;
  for (const Lot& l : lots) {
    boost::json::object o{{"lotNumber", l.lot_number}};
    if (!l.expiry_date.empty()) o["expiryDate"] = l.expiry_date;
    o["quantity"] = l.quantity;
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<Lot> LotsFromJson(const boost::json::value* v) {
  std::vector<Lot> out;
  if (v == nullptr || !v->is_array()) return out;
  for (const boost::json::value& item : v->get_array()) {
    const boost::json::object* o = item.if_object();
    if (o == nullptr) continue;
    out.push_back(Lot{common::JsonString(*o, "lotNumber"),
                      common::JsonString(*o, "expiryDate"),
                      common::JsonInt(*o, "quantity")});
  }
  return out;
}

}  // namespace stockpile::domain::inventory
