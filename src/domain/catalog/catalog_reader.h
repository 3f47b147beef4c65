// CatalogReader: what inventory and orders need to know about the catalog —
// a product (price, reorder point, deleted?) and the tenant's locations.
// CatalogService answers from the catalog's streams; a read model fed by
// catalog.* events may implement it in a process that does not run the
// catalog (DESIGN.md §6).
//
// Thread-safety: implementations are safe for concurrent use.
#ifndef STOCKPILE_DOMAIN_CATALOG_CATALOG_READER_H_
#define STOCKPILE_DOMAIN_CATALOG_CATALOG_READER_H_

#include <string_view>

#include "core/result.h"
#include "domain/catalog/location_state.h"
#include "domain/catalog/product_state.h"

namespace stockpile::domain::catalog {

class CatalogReader {
 public:
  virtual ~CatalogReader() = default;

  // NotFound for an unknown product; a deleted one is returned with
  // deleted = true (callers decide what that means for them).
  virtual core::Result<ProductState> GetProduct(
      std::string_view tenant, std::string_view product_id) const = 0;
  // Always contains `main`.
  virtual core::Result<LocationsState> GetLocations(
      std::string_view tenant) const = 0;
};

}  // namespace stockpile::domain::catalog

#endif  // STOCKPILE_DOMAIN_CATALOG_CATALOG_READER_H_
