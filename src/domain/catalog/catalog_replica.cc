#include "domain/catalog/catalog_replica.h"

#include <optional>
#include <string>
#include <utility>

#include "core/status_macros.h"
#include "domain/common/ids.h"

namespace stockpile::domain::catalog {
namespace {

constexpr std::string_view kLocationsKey = "locations";

}  // namespace

CatalogReplica::CatalogReplica(const common::KeyedView<ProductState>& products,
                               std::function<void()> catch_up)
    : products_(products), catch_up_(std::move(catch_up)) {}

void CatalogReplica::Apply(const core::Event& e) {
  if (e.event_type.starts_with("catalog.location.")) {
    locations_.Apply(e, std::string(kLocationsKey));
  }
}

core::Result<ProductState> CatalogReplica::GetProduct(
    std::string_view tenant, std::string_view product_id) const {
  RETURN_IF_ERROR(common::ValidateId(product_id, "product id"));
  std::optional<ProductState> p = products_.Get(tenant, product_id);
  if (!p.has_value() || !p->exists) {
    catch_up_();
    p = products_.Get(tenant, product_id);
  }
  if (!p.has_value() || !p->exists) {
    return core::NotFoundError("no product '" + std::string(product_id) + "'");
  }
  return *std::move(p);
}

core::Result<LocationsState> CatalogReplica::GetLocations(
    std::string_view tenant) const {
  // Callers check a location id against the answer, so it must not lag the
  // event being handled.
  catch_up_();
  return locations_.Get(tenant, kLocationsKey).value_or(LocationsState{});
}

}  // namespace stockpile::domain::catalog
