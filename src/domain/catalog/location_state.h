// LocationsState: every stock location of a tenant, one aggregate in the
// stream "locations" (few, rarely changing; one stream makes the id unique).
// The location `main` always exists (priority 0) without an event.
//
// Thread-safety: a plain value.
#ifndef STOCKPILE_DOMAIN_CATALOG_LOCATION_STATE_H_
#define STOCKPILE_DOMAIN_CATALOG_LOCATION_STATE_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/result.h"

namespace stockpile::domain::catalog {

inline constexpr std::string_view kLocationCreated = "catalog.location.created";
inline constexpr std::string_view kLocationsStream = "locations";
inline constexpr std::string_view kMainLocation = "main";

struct Location {
  std::string id;
  std::string name;
  int64_t priority = 0;  // allocation order: lower first, then id
};

struct LocationsState {
  static constexpr int kSnapshotSchema = 1;

  std::map<std::string, Location> created;  // by id; `main` only if renamed

  bool Contains(std::string_view id) const;
  // `main` plus every created location, in allocation order.
  std::vector<Location> InAllocationOrder() const;

  void Apply(const core::Event& e);
  boost::json::object ToSnapshot() const;
  static core::Result<LocationsState> FromSnapshot(
      const boost::json::object& o);
};

}  // namespace stockpile::domain::catalog

#endif  // STOCKPILE_DOMAIN_CATALOG_LOCATION_STATE_H_
