#include "app/demo_admin.h"

#include "app/jwt_secret.h"
#include "core/status_macros.h"

namespace stockpile::app {

core::Result<DemoAdmin> EnsureDemoAdmin(DomainServices& services,
                                        const std::string& data_dir,
                                        std::string_view tenant) {
  DemoAdmin admin{.email = std::string(kDemoAdminEmail)};
  ASSIGN_OR_RETURN(admin.password,
                   LoadOrCreateSecretFile(data_dir, "demo-admin-password",
                                          /*create=*/true));
  const domain::common::CommandContext ctx{.tenant = std::string(tenant),
                                           .user_id = "demo-loader",
                                           .correlation_id = ""};
  core::Result<domain::users::UserState> created =
      services.users().Register(ctx, {.id = "user-demo-admin",
                                      .email = admin.email,
                                      .password = admin.password,
                                      .role = "admin",
                                      .name = "Demo admin"});
  if (created.ok()) {
    admin.created = true;
  } else if (created.status().code() != core::StatusCode::kAlreadyExists) {
    return created.status().WithContext("demo admin user");
  }
  return admin;
}

}  // namespace stockpile::app
