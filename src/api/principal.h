// Principal: who is making a request, as proven by a verified bearer token.
// The tenant comes only from the token; handlers scope every read and write
// to `tenant` and never take a tenant from the request body or path.
//
// Role names are the lowercase strings of DESIGN.md §7 ("admin", "manager",
// "clerk", "viewer"); what each role may do is in api/permission.h.
//
// Thread-safety: plain values.
#ifndef STOCKPILE_API_PRINCIPAL_H_
#define STOCKPILE_API_PRINCIPAL_H_

#include <string>
#include <string_view>

#include "core/result.h"

namespace stockpile::api {

enum class Role { kAdmin, kManager, kClerk, kViewer };

// "admin", "manager", "clerk" or "viewer".
std::string_view RoleName(Role role);

// Parses a role name (exact, lowercase). InvalidArgument for anything else.
core::Result<Role> ParseRole(std::string_view name);

struct Principal {
  std::string subject;  // the token's `sub`: a user or service id
  std::string tenant;   // the token's `tenant`; never empty
  Role role = Role::kViewer;

  friend bool operator==(const Principal&, const Principal&) = default;
};

}  // namespace stockpile::api

#endif  // STOCKPILE_API_PRINCIPAL_H_
