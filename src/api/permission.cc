#include "api/permission.h"

#include "core/check.h"

namespace stockpile::api {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kManager:
      return "manager";
    case Role::kClerk:
      return "clerk";
    case Role::kViewer:
      return "viewer";
  }
  CHECK(false) << "unknown role " << static_cast<int>(role);
  return "";
}

core::Result<Role> ParseRole(std::string_view name) {
  for (Role r : {Role::kAdmin, Role::kManager, Role::kClerk, Role::kViewer}) {
    if (RoleName(r) == name) return r;
  }
  return core::InvalidArgumentError(
      "role must be one of admin, manager, clerk, viewer");
}

std::string_view PermissionName(Permission permission) {
  switch (permission) {
    case Permission::kRead:
      return "read";
    case Permission::kClerkWrite:
      return "clerk_write";
    case Permission::kBusinessWrite:
      return "business_write";
    case Permission::kApprove:
      return "approve";
    case Permission::kOperations:
      return "operations";
  }
  CHECK(false) << "unknown permission " << static_cast<int>(permission);
  return "";
}

bool RoleHasPermission(Role role, Permission permission) {
  // The one role x permission table (see permission.h).
  switch (role) {
    case Role::kAdmin:
      return true;
    case Role::kManager:
      return permission != Permission::kOperations;
    case Role::kClerk:
      return permission == Permission::kRead ||
             permission == Permission::kClerkWrite;
    case Role::kViewer:
      return permission == Permission::kRead;
  }
  return false;
}

}  // namespace stockpile::api
