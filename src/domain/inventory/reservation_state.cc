#include "domain/inventory/reservation_state.h"

#include "domain/common/json_fields.h"

namespace stockpile::domain::inventory {

using common::JsonInt;
using common::JsonString;

namespace {

std::vector<ReservedLine> LinesFromJson(const boost::json::value* v) {
  std::vector<ReservedLine> out;
  if (v == nullptr || !v->is_array()) return out;
  for (const boost::json::value& item : v->get_array()) {
    if (const boost::json::object* o = item.if_object()) {
      out.push_back(ReservedLine{
          JsonString(*o, "productId"), JsonString(*o, "locationId"),
          JsonInt(*o, "quantity"), LotsFromJson(o->if_contains("lots")),
          JsonInt(*o, "backordered")});
    }
  }
  return out;
}

std::vector<Shortage> ShortagesFromJson(const boost::json::value* v) {
  std::vector<Shortage> out;
  if (v == nullptr || !v->is_array()) return out;
  for (const boost::json::value& item : v->get_array()) {
    if (const boost::json::object* o = item.if_object()) {
      out.push_back(Shortage{JsonString(*o, "productId"),
                             JsonInt(*o, "requested"),
                             JsonInt(*o, "available")});
    }
  }
  return out;
}

constexpr std::string_view kStatusNames[] = {"none", "reserved", "failed",
                                             "released", "committed"};

}  // namespace

std::string ReservationStream(std::string_view order_id) {
  return "reservation-" + std::string(order_id);
}

boost::json::array LinesToJson(const std::vector<ReservedLine>& lines) {
  boost::json::array out;
  for (const ReservedLine& l : lines) {
    boost::json::object o{{"productId", l.product_id},
                          {"locationId", l.location_id},
                          {"quantity", l.quantity}};
    if (l.backordered > 0) o["backordered"] = l.backordered;
    if (!l.lots.empty()) o["lots"] = LotsToJson(l.lots);
    out.push_back(std::move(o));
  }
  return out;
}

boost::json::array ShortagesToJson(const std::vector<Shortage>& shortages) {
  boost::json::array out;
  for (const Shortage& s : shortages) {
    out.push_back(boost::json::object{{"productId", s.product_id},
                                      {"requested", s.requested},
                                      {"available", s.available}});
  }
  return out;
}

void ReservationState::Apply(const core::Event& e) {
  const boost::json::object& p = e.payload;
  if (e.event_type == kStockReserved) {
    status = Status::kReserved;
    lines = LinesFromJson(p.if_contains("lines"));
  } else if (e.event_type == kReservationFailed) {
    status = Status::kFailed;
    reason = JsonString(p, "reason");
    shortages = ShortagesFromJson(p.if_contains("shortages"));
  } else if (e.event_type == kStockReleased) {
    status = Status::kReleased;
  } else if (e.event_type == kStockCommitted) {
    status = Status::kCommitted;
    // The lines as shipped: backorders filled since the reservation count
    // as held, and each line names the lots it took.
    if (const boost::json::value* shipped = p.if_contains("lines")) {
      lines = LinesFromJson(shipped);
    }
  }
}

boost::json::object ReservationState::ToSnapshot() const {
  return boost::json::object{{"status", kStatusNames[static_cast<int>(status)]},
                             {"lines", LinesToJson(lines)},
                             {"shortages", ShortagesToJson(shortages)},
                             {"reason", reason}};
}

core::Result<ReservationState> ReservationState::FromSnapshot(
    const boost::json::object& o) {
  ReservationState s;
  const std::string name = JsonString(o, "status");
  bool known = false;
  for (int i = 0; i < 5; ++i) {
    if (name == kStatusNames[i]) {
      s.status = static_cast<Status>(i);
      known = true;
    }
  }
  if (!known) {
    return core::InternalError("reservation snapshot has status '" + name +
                               "'");
  }
  s.lines = LinesFromJson(o.if_contains("lines"));
  s.shortages = ShortagesFromJson(o.if_contains("shortages"));
  s.reason = JsonString(o, "reason");
  return s;
}

}  // namespace stockpile::domain::inventory
