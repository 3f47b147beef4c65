#include "domain/purchasing/po_number_state.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <cstdio>

#include "domain/common/json_fields.h"

namespace stockpile::domain::purchasing {

std::string PoNumberStream(int64_t year) {
  return "po-numbers-" + std::to_string(year);
}

std::string FormatPoNumber(int64_t year, int64_t seq) {
  char buf[48];
  std::snprintf(buf, sizeof(buf), "PO-%lld-%04lld",
                static_cast<long long>(year), static_cast<long long>(seq));
  return buf;
}

std::string PoNumberState::NumberOf(std::string_view purchase_order_id) const {
  auto it = recent.find(std::string(purchase_order_id));
  return it == recent.end() ? std::string() : it->second;
}

void PoNumberState::Apply(const core::Event& e) {
  if (e.event_type != kPoNumberAssigned) return;
  const int64_t seq = common::JsonInt(e.payload, "sequence");
  const std::string id = common::JsonString(e.payload, "purchaseOrderId");
  last = std::max(last, seq);
  recent[id] = common::JsonString(e.payload, "poNumber");
  recent_order[seq] = id;
  while (recent_order.size() > kRemembered) {
    recent.erase(recent_order.begin()->second);
    recent_order.erase(recent_order.begin());
  }
}

boost::json::object PoNumberState::ToSnapshot() const {
  boost::json::array rs;
  for (const auto& [seq, id] : recent_order) {
    rs.push_back(boost::json::object{{"sequence", seq},
                                     {"purchaseOrderId", id},
                                     {"poNumber", recent.at(id)}});
  }
  return boost::json::object{{"last", last}, {"recent", std::move(rs)}};
}

core::Result<PoNumberState> PoNumberState::FromSnapshot(
    const boost::json::object& o) {
  const boost::json::value* rs = o.if_contains("recent");
  if (rs == nullptr || !rs->is_array()) {
    return core::InternalError("po number snapshot is malformed");
  }
  PoNumberState s;
  s.last = common::JsonInt(o, "last");
  for (const boost::json::value& v : rs->get_array()) {
    const boost::json::object* r = v.if_object();
    if (r == nullptr) continue;
    const std::string id = common::JsonString(*r, "purchaseOrderId");
    s.recent[id] = common::JsonString(*r, "poNumber");
    s.recent_order[common::JsonInt(*r, "sequence")] = id;
  }
  return s;
}

}  // namespace stockpile::domain::purchasing
