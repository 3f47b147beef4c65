// UserService: user accounts of a tenant — registration, changes, and the
// password check behind POST /api/v1/auth/login (DESIGN.md §7, issue 5).
//
//   UserService users(deps);
//   ASSIGN_OR_RETURN(UserState u, users.Register(ctx, {
//       .email = "ann@acme.example", .password = "long enough secret",
//       .role = "manager"}));
//   ASSIGN_OR_RETURN(UserState who,
//       users.Authenticate("acme", "ann@acme.example", "long enough secret"));
//
// Email uniqueness per tenant works as sku uniqueness does (catalog_service.h):
// Register first claims the normalised address in its own stream, then
// appends user.registered + user.password.set to the new user's stream
// (expected version: none); if that fails the claim is released.
//
// Passwords: at least kMinPasswordLength characters, at most
// kMaxPasswordBytes bytes, not the email address, not one repeated
// character, not a well-known password. They are hashed with Argon2id
// (password_hasher.h) before any event is built; neither the password nor
// its hash appears in a Status message.
//
// Authenticate answers the same Unauthenticated error for an unknown email
// and a wrong password, and runs one Argon2id verification in both cases
// (against a hash made at construction for unknown addresses), so neither
// the answer nor its time tells whether an address is registered.
//
// Errors: InvalidArgument (bad input, named), AlreadyExists (email or id
// taken), NotFound (unknown user), Unauthenticated (login), Conflict (gave
// up after many concurrent changes), store errors as they come.
//
// Ownership: borrows DomainDeps. Thread-safety: safe for concurrent use.
#ifndef STOCKPILE_DOMAIN_USERS_USER_SERVICE_H_
#define STOCKPILE_DOMAIN_USERS_USER_SERVICE_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "domain/common/aggregate_repository.h"
#include "domain/common/command_context.h"
#include "domain/users/password_hasher.h"
#include "domain/users/user_state.h"

namespace stockpile::domain::users {

inline constexpr size_t kMinPasswordLength = 10;  // characters
inline constexpr size_t kMaxPasswordBytes = 1024;

struct NewUser {
  std::string id;  // "" = assigned ("user-<uuid>")
  std::string email;
  std::string password;
  std::string role;  // admin | manager | clerk | viewer
  std::string name;  // optional
};

// Unset fields stay as they are.
struct UserChanges {
  std::optional<std::string> name;
  std::optional<std::string> role;
  std::optional<std::string> password;
};

// InvalidArgument unless `role` is admin, manager, clerk or viewer.
core::Status ValidateRole(std::string_view role);
// Trimmed and lowercased; InvalidArgument unless it looks like an address.
core::Result<std::string> NormaliseEmail(std::string_view email);
// InvalidArgument naming what is wrong with `password` (never echoing it).
core::Status CheckPasswordStrength(std::string_view password,
                                   std::string_view email);

class UserService {
 public:
  explicit UserService(const common::DomainDeps& deps, PasswordCost cost = {});

  core::Result<UserState> Register(const common::CommandContext& ctx,
                                   NewUser user);
  // A no-op (nothing appended) when nothing changes; a new password always
  // counts as a change.
  core::Result<UserState> UpdateUser(const common::CommandContext& ctx,
                                     std::string_view user_id,
                                     const UserChanges& changes);
  core::Result<UserState> GetUser(std::string_view tenant,
                                  std::string_view user_id) const;

  // The user whose email and password these are, or Unauthenticated.
  core::Result<UserState> Authenticate(std::string_view tenant,
                                       std::string_view email,
                                       std::string_view password) const;

 private:
  // True when this call took the address, false when `user_id` held it
  // already (then a failed registration must not release it).
  core::Result<bool> ClaimEmail(const common::CommandContext& ctx,
                                const std::string& email,
                                const std::string& user_id);
  void ReleaseEmail(const common::CommandContext& ctx, const std::string& email,
                    const std::string& user_id);

  // Immutable after construction.
  const common::DomainDeps deps_;
  const PasswordHasher hasher_;
  const std::string unknown_user_hash_;  // verified for unknown addresses
  common::AggregateRepository<UserState> users_;
  common::AggregateRepository<EmailState> emails_;
};

}  // namespace stockpile::domain::users

#endif  // STOCKPILE_DOMAIN_USERS_USER_SERVICE_H_
