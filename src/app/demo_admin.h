// EnsureDemoAdmin: the admin user `serve --demo` creates so that a person
// can log in (POST /api/v1/auth/login) as well as paste a minted token.
// Its password is a random secret kept in <data-dir>/demo-admin-password
// (mode 0600, made on the first --demo start), so it is never a well-known
// default and a restart prints the same one.
//
// Idempotent: when the user exists it is left as it is (a password changed
// through the API stays changed; the file then no longer matches it).
//
// Thread-safety: call once at start, before serving.
#ifndef STOCKPILE_APP_DEMO_ADMIN_H_
#define STOCKPILE_APP_DEMO_ADMIN_H_

#include <string>
#include <string_view>

#include "app/domain_services.h"
#include "core/result.h"

namespace stockpile::app {

inline constexpr std::string_view kDemoAdminEmail = "admin@demo.example";

struct DemoAdmin {
  std::string email;
  std::string password;
  bool created = false;  // false: it existed already
};

core::Result<DemoAdmin> EnsureDemoAdmin(DomainServices& services,
                                        const std::string& data_dir,
                                        std::string_view tenant);

}  // namespace stockpile::app

#endif  // STOCKPILE_APP_DEMO_ADMIN_H_
