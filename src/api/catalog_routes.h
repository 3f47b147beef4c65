// The catalog's HTTP routes (DESIGN.md §7): products, locations, suppliers.
//
//   POST   /api/v1/products            business_write  201 + Location
//   GET    /api/v1/products            read   ?q=&after=&limit=  {items,next}
//   GET    /api/v1/products/{id}       read   404 when unknown or deleted
//   PATCH  /api/v1/products/{id}       business_write
//   DELETE /api/v1/products/{id}       business_write  204
//   POST   /api/v1/locations           business_write  201
//   GET    /api/v1/locations           read   (main first, allocation order)
//   POST   /api/v1/suppliers           business_write  201
//   GET    /api/v1/suppliers           read   ?after=&limit=
//   GET    /api/v1/suppliers/{id}      read
//   PATCH  /api/v1/suppliers/{id}      business_write
//
// Single-resource reads go to the aggregate's stream (a client reads its
// own writes); lists come from the catalog's read models (KeyedView).
#ifndef STOCKPILE_API_CATALOG_ROUTES_H_
#define STOCKPILE_API_CATALOG_ROUTES_H_

#include "api/domain_api.h"
#include "api/router.h"

namespace stockpile::api {

// Everything in `catalog` must be set and outlive the router.
void AddCatalogRoutes(Router& router, CatalogApi catalog);

// A product as clients see it: ProductState's fields plus `id`.
boost::json::object ProductToJson(const domain::catalog::ProductState& p);

}  // namespace stockpile::api

#endif  // STOCKPILE_API_CATALOG_ROUTES_H_
