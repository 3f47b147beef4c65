#include "domain/catalog/location_state.h"

#include <algorithm>

namespace stockpile::domain::catalog {

bool LocationsState::Contains(std::string_view id) const {
  return id == kMainLocation || created.contains(std::string(id));
}

std::vector<Location> LocationsState::InAllocationOrder() const {
  std::vector<Location> out;
  out.push_back(Location{std::string(kMainLocation), "Main", 0});
  for (const auto& [id, loc] : created) out.push_back(loc);
  std::stable_sort(
      out.begin(), out.end(), [](const Location& a, const Location& b) {
        return a.priority != b.priority ? a.priority < b.priority : a.id < b.id;
      });
  return out;
}

void LocationsState::Apply(const core::Event& e) {
  if (e.event_type != kLocationCreated) return;
  Location loc;
  loc.id = std::string(e.PayloadString("locationId"));
  loc.name = std::string(e.PayloadString("name"));
  e.PayloadInt("priority", loc.priority);
  created[loc.id] = std::move(loc);
}

boost::json::object LocationsState::ToSnapshot() const {
  boost::json::array items;
  for (const auto& [id, loc] : created) {
    items.push_back(boost::json::object{
        {"locationId", id}, {"name", loc.name}, {"priority", loc.priority}});
  }
  return boost::json::object{{"locations", std::move(items)}};
}

core::Result<LocationsState> LocationsState::FromSnapshot(
    const boost::json::object& o) {
  LocationsState s;
  const boost::json::value* items = o.if_contains("locations");
  if (items == nullptr || !items->is_array()) {
    return core::InternalError("locations snapshot has no locations array");
  }
  for (const boost::json::value& v : items->get_array()) {
    const boost::json::object* item = v.if_object();
    if (item == nullptr) continue;
    Location loc;
    if (const auto* id = item->if_contains("locationId");
        id && id->is_string()) {
      loc.id = std::string(id->get_string());
    }
    if (const auto* n = item->if_contains("name"); n && n->is_string()) {
      loc.name = std::string(n->get_string());
    }
    if (const auto* p = item->if_contains("priority"); p && p->is_int64()) {
      loc.priority = p->get_int64();
    }
    s.created[loc.id] = std::move(loc);
  }
  return s;
}

}  // namespace stockpile::domain::catalog
