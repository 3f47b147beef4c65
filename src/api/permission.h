// Permission: what a route requires of the caller's role. Every
// authenticated route names exactly one permission; the ONE table that says
// which role holds which permission is RoleHasPermission (permission.cc),
// mirrored in docs (DESIGN.md §7):
//
//   permission      admin manager clerk viewer   used by
//   kRead             x     x      x     x       every GET under /api/v1
//   kClerkWrite       x     x      x             orders, receipts, adjustments,
//                                                transfers
//   kBusinessWrite    x     x                    products, locations,
//                                                suppliers, rules, payments,
//                                                ...
//   kApprove          x     x                    purchase-order approval
//   kOperations       x                          rebuild, redrive, webhooks,
//                                                settings, users
//
// A role lacking the permission gets 403; a missing or invalid token 401.
#ifndef STOCKPILE_API_PERMISSION_H_
#define STOCKPILE_API_PERMISSION_H_

#include <string_view>

#include "api/principal.h"

namespace stockpile::api {

enum class Permission {
  kRead,
  kClerkWrite,
  kBusinessWrite,
  kApprove,
  kOperations,
};

// "read", "clerk_write", "business_write", "approve", "operations".
std::string_view PermissionName(Permission permission);

// True when `role` holds `permission` (the table above).
bool RoleHasPermission(Role role, Permission permission);

}  // namespace stockpile::api

#endif  // STOCKPILE_API_PERMISSION_H_
