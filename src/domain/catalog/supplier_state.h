// SupplierState: one supplier (stream "supplier-<id>"), folded from
// catalog.supplier.created / updated. Both events carry the full supplier.
//
// Thread-safety: a plain value.
#ifndef STOCKPILE_DOMAIN_CATALOG_SUPPLIER_STATE_H_
#define STOCKPILE_DOMAIN_CATALOG_SUPPLIER_STATE_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/event.h"
#include "core/result.h"

namespace stockpile::domain::catalog {

inline constexpr std::string_view kSupplierCreated = "catalog.supplier.created";
inline constexpr std::string_view kSupplierUpdated = "catalog.supplier.updated";

std::string SupplierStream(std::string_view supplier_id);

struct SupplierState {
  static constexpr int kSnapshotSchema = 1;

  bool exists = false;
  std::string id;
  std::string name;
  std::string email;
  int64_t lead_time_days = 0;
  // The region pack (calendar/region_pack.h) whose business days count its
  // lead time; "" = the tenant's region.
  std::string region;
  std::map<std::string, int64_t> prices_minor;  // unit cost per productId

  // The catalog.supplier.* payload; "region" only when set.
  boost::json::object ToJson() const;

  void Apply(const core::Event& e);
  boost::json::object ToSnapshot() const { return ToJson(); }
  static core::Result<SupplierState> FromSnapshot(const boost::json::object& o);
};

}  // namespace stockpile::domain::catalog

#endif  // STOCKPILE_DOMAIN_CATALOG_SUPPLIER_STATE_H_
