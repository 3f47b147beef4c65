// The inventory service's HTTP routes (DESIGN.md §7):
//
//   GET  /api/v1/products/{id}/inventory              read
//        {productId, onHand, reserved, available, inTransit, locations: [...]}
//   POST /api/v1/inventory/receipts                   clerk_write  201
//        {productId, locationId?, quantity, lotNumber?, expiryDate?}
//   POST /api/v1/inventory/adjustments                clerk_write  201
//        {productId, locationId?, delta, reason}
//   POST /api/v1/inventory/transfers                  clerk_write  201
//        {productId, fromLocationId, toLocationId, quantity}
//   POST /api/v1/inventory/transfers/{id}/complete    clerk_write  200
//        {productId}
//
// Movements answer with the product's inventory after the movement (the
// transfer start adds `transferId`). Reads go to the product's stream, so
// they are never behind a write.
#ifndef STOCKPILE_API_INVENTORY_ROUTES_H_
#define STOCKPILE_API_INVENTORY_ROUTES_H_

#include "api/domain_api.h"
#include "api/router.h"

namespace stockpile::api {

// `inventory.service` must be set and outlive the router.
void AddInventoryRoutes(Router& router, InventoryApi inventory);

}  // namespace stockpile::api

#endif  // STOCKPILE_API_INVENTORY_ROUTES_H_
