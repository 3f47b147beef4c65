#include "domain/inventory/stock_item_state.h"

#include <algorithm>

#include "domain/common/json_fields.h"

namespace stockpile::domain::inventory {

using common::JsonInt;
using common::JsonString;

std::string StockStream(std::string_view product_id) {
  return "stock-" + std::string(product_id);
}

boost::json::array AllocationsToJson(const std::vector<Allocation>& a) {
  boost::json::array out;
  for (const Allocation& x : a) {
    boost::json::object o{{"locationId", x.location_id},
                          {"quantity", x.quantity}};
    if (x.backordered > 0) o["backordered"] = x.backordered;
    if (!x.lots.empty()) o["lots"] = LotsToJson(x.lots);
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<Allocation> AllocationsFromJson(const boost::json::value* v) {
  std::vector<Allocation> out;
  if (v == nullptr || !v->is_array()) return out;
  for (const boost::json::value& item : v->get_array()) {
    const boost::json::object* o = item.if_object();
    if (o == nullptr) continue;
    out.push_back(Allocation{
        JsonString(*o, "locationId"), JsonInt(*o, "quantity"),
        LotsFromJson(o->if_contains("lots")), JsonInt(*o, "backordered")});
  }
  return out;
}

LocationStock StockItemState::At(std::string_view location_id) const {
  auto it = locations.find(std::string(location_id));
  return it == locations.end() ? LocationStock{} : it->second;
}

bool StockItemState::AlreadyReceived(std::string_view purchase_order_id,
                                     int64_t receipt_number) const {
  if (purchase_order_id.empty() || receipt_number <= 0) return false;
  auto it = po_receipts.find(std::string(purchase_order_id));
  return it != po_receipts.end() && it->second >= receipt_number;
}

namespace {

// The lots an event names, or for an event written before lots were
// tracked (no `lots`), the first-expiry-first-out take of `quantity` (> 0)
// from `from` — deterministic, so a replay folds the same state.
std::vector<Lot> LotsOrFefo(const boost::json::value* named,
                            const std::vector<Lot>& from, int64_t quantity) {
  if (named != nullptr && named->is_array()) return LotsFromJson(named);
  return TakeFefo(from, quantity, "", false);
}

}  // namespace

void StockItemState::Apply(const core::Event& e) {
  const boost::json::object& p = e.payload;
  const std::string_view type = e.event_type;
  if (type == kStockReceived) {
    LocationStock& l = locations[JsonString(p, "locationId")];
    const int64_t q = JsonInt(p, "quantity");
    l.on_hand += q;
    AddLots(l.lots,
            {Lot{JsonString(p, "lotNumber"), JsonString(p, "expiryDate"), q}});
    if (const int64_t n = JsonInt(p, "receiptNumber"); n > 0) {
      int64_t& last = po_receipts[JsonString(p, "purchaseOrderId")];
      last = std::max(last, n);
    }
  } else if (type == kStockAdjusted) {
    LocationStock& l = locations[JsonString(p, "locationId")];
    const int64_t delta = JsonInt(p, "delta");
    l.on_hand += delta;
    if (delta > 0) {
      const boost::json::value* named = p.if_contains("lots");
      AddLots(l.lots, named != nullptr ? LotsFromJson(named)
                                       : std::vector<Lot>{{"", "", delta}});
    } else if (delta < 0) {
      RemoveLots(l.lots, LotsOrFefo(p.if_contains("lots"), l.lots, -delta));
    }
  } else if (type == kStockLow || type == kStockRestored) {
    locations[JsonString(p, "locationId")].low = type == kStockLow;
  } else if (type == kTransferInitiated) {
    const int64_t q = JsonInt(p, "quantity");
    OpenTransfer t{
        JsonString(p, "fromLocationId"), JsonString(p, "toLocationId"), q, {}};
    LocationStock& from = locations[t.from];
    t.lots = LotsOrFefo(p.if_contains("lots"), from.lots, q);
    RemoveLots(from.lots, t.lots);
    from.on_hand -= q;
    locations[t.to].in_transit += q;
    transfers[JsonString(p, "transferId")] = std::move(t);
  } else if (type == kTransferCompleted) {
    auto it = transfers.find(JsonString(p, "transferId"));
    if (it == transfers.end()) return;
    LocationStock& to = locations[it->second.to];
    to.in_transit -= it->second.quantity;
    to.on_hand += it->second.quantity;
    AddLots(to.lots, it->second.lots);
    transfers.erase(it);
  } else if (type == kPositionReserved) {
    std::vector<Allocation> a =
        AllocationsFromJson(p.if_contains("allocations"));
    const std::string order = JsonString(p, "orderId");
    for (const Allocation& x : a) {
      LocationStock& l = locations[x.location_id];
      l.reserved += x.quantity;
      l.backordered += x.backordered;
      if (x.backordered > 0) {
        backorders.push_back(Backorder{order, x.location_id, x.backordered});
      }
    }
    holds[order] = std::move(a);
  } else if (type == kBackorderFilled) {
    const std::string order = JsonString(p, "orderId");
    const std::string loc = JsonString(p, "locationId");
    const int64_t q = JsonInt(p, "quantity");
    auto hold = holds.find(order);
    if (hold == holds.end()) return;
    for (Allocation& x : hold->second) {
      if (x.location_id != loc) continue;
      x.quantity += q;
      x.backordered -= q;
    }
    LocationStock& l = locations[loc];
    l.reserved += q;
    l.backordered -= q;
    for (Backorder& b : backorders) {
      if (b.order_id == order && b.location_id == loc) b.quantity -= q;
    }
    std::erase_if(backorders,
                  [](const Backorder& b) { return b.quantity <= 0; });
  } else if (type == kPositionReleased || type == kPositionCommitted) {
    auto it = holds.find(JsonString(p, "orderId"));
    if (it == holds.end()) return;
    std::map<std::string, const boost::json::value*> taken;  // by location
    if (const auto* a = p.if_contains("allocations"); a && a->is_array()) {
      for (const boost::json::value& v : a->get_array()) {
        if (const auto* o = v.if_object(); o != nullptr) {
          taken[JsonString(*o, "locationId")] = o->if_contains("lots");
        }
      }
    }
    std::erase_if(backorders,
                  [&](const Backorder& b) { return b.order_id == it->first; });
    for (const Allocation& x : it->second) {
      LocationStock& l = locations[x.location_id];
      l.reserved -= x.quantity;
      l.backordered -= x.backordered;
      if (type != kPositionCommitted) continue;
      l.on_hand -= x.quantity;
      RemoveLots(l.lots, LotsOrFefo(taken[x.location_id], l.lots, x.quantity));
    }
    holds.erase(it);
  }
}

StockItemState StockItemState::TrialCopy(
    const std::vector<core::Event>& events) const {
  StockItemState out;
  out.locations = locations;
  out.transfers = transfers;
  out.backorders = backorders;
  out.po_receipts = po_receipts;
  auto keep = [&](std::string_view order_id) {
    auto it = holds.find(std::string(order_id));
    if (it != holds.end()) out.holds.insert(*it);
  };
  for (const Backorder& b : backorders) keep(b.order_id);
  for (const core::Event& e : events) keep(e.PayloadString("orderId"));
  return out;
}

boost::json::object StockItemState::ToSnapshot() const {
  boost::json::object locs;
  for (const auto& [id, l] : locations) {
    locs[id] = boost::json::object{{"onHand", l.on_hand},
                                   {"reserved", l.reserved},
                                   {"backordered", l.backordered},
                                   {"inTransit", l.in_transit},
                                   {"low", l.low},
                                   {"lots", LotsToJson(l.lots)}};
  }
  boost::json::object hs;
  for (const auto& [order, a] : holds) hs[order] = AllocationsToJson(a);
  boost::json::object ts;
  for (const auto& [id, t] : transfers) {
    ts[id] = boost::json::object{{"from", t.from},
                                 {"to", t.to},
                                 {"quantity", t.quantity},
                                 {"lots", LotsToJson(t.lots)}};
  }
  boost::json::object rs;
  for (const auto& [po, n] : po_receipts) rs[po] = n;
  boost::json::array bs;
  for (const Backorder& b : backorders) {
    bs.push_back(boost::json::object{{"orderId", b.order_id},
                                     {"locationId", b.location_id},
                                     {"quantity", b.quantity}});
  }
  return boost::json::object{{"backorders", std::move(bs)},
                             {"locations", std::move(locs)},
                             {"holds", std::move(hs)},
                             {"transfers", std::move(ts)},
                             {"poReceipts", std::move(rs)}};
}

core::Result<StockItemState> StockItemState::FromSnapshot(
    const boost::json::object& o) {
  StockItemState s;
  const boost::json::value* locs = o.if_contains("locations");
  const boost::json::value* hs = o.if_contains("holds");
  const boost::json::value* ts = o.if_contains("transfers");
  if (locs == nullptr || !locs->is_object() || hs == nullptr ||
      !hs->is_object() || ts == nullptr || !ts->is_object()) {
    return core::InternalError("stock snapshot is malformed");
  }
  for (const auto& kv : locs->get_object()) {
    const boost::json::object* l = kv.value().if_object();
    if (l == nullptr) continue;
    LocationStock& x = s.locations[std::string(kv.key())];
    x.on_hand = JsonInt(*l, "onHand");
    x.reserved = JsonInt(*l, "reserved");
    x.backordered = JsonInt(*l, "backordered");
    x.in_transit = JsonInt(*l, "inTransit");
    const boost::json::value* low = l->if_contains("low");
    x.low = low != nullptr && low->is_bool() && low->get_bool();
    x.lots = LotsFromJson(l->if_contains("lots"));
  }
  for (const auto& kv : hs->get_object()) {
    s.holds[std::string(kv.key())] = AllocationsFromJson(&kv.value());
  }
  for (const auto& kv : ts->get_object()) {
    const boost::json::object* t = kv.value().if_object();
    if (t == nullptr) continue;
    s.transfers[std::string(kv.key())] = OpenTransfer{
        JsonString(*t, "from"), JsonString(*t, "to"), JsonInt(*t, "quantity"),
        LotsFromJson(t->if_contains("lots"))};
  }
  if (const boost::json::value* bs = o.if_contains("backorders");
      bs != nullptr && bs->is_array()) {
    for (const boost::json::value& v : bs->get_array()) {
      if (const boost::json::object* b = v.if_object()) {
        s.backorders.push_back(Backorder{JsonString(*b, "orderId"),
                                         JsonString(*b, "locationId"),
                                         JsonInt(*b, "quantity")});
      }
    }
  }
  if (const boost::json::value* rs = o.if_contains("poReceipts");
      rs != nullptr && rs->is_object()) {
    for (const auto& kv : rs->get_object()) {
      if (kv.value().is_int64()) {
        s.po_receipts[std::string(kv.key())] = kv.value().get_int64();
      }
    }
  }
  return s;
}

}  // namespace stockpile::domain::inventory
