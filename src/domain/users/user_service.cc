#include "domain/users/user_service.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>
#include <vector>

#include "core/status_macros.h"
#include "domain/common/ids.h"

namespace stockpile::domain::users {

namespace {

constexpr std::string_view kSource = "users";
using Events = std::vector<core::Event>;

constexpr size_t kMaxEmailLength = 254;
constexpr size_t kMaxNameLength = 200;

// A few of the most common passwords of at least kMinPasswordLength
// characters (compared case-insensitively).
constexpr std::array<std::string_view, 12> kCommonPasswords = {
    "1234567890",   "0123456789", "password12",  "password123",
    "password1234", "qwertyuiop", "1q2w3e4r5t",  "iloveyou12",
    "letmein123",   "admin12345", "changeme123", "stockpile123"};

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(std::tolower(c));
  });
  return out;
}

// UTF-8 characters: bytes that do not continue a sequence.
size_t CharacterCount(std::string_view s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
  }));
}

core::Status ValidateName(std::string_view name) {
  if (name.size() > kMaxNameLength) {
    return core::InvalidArgumentError("name is longer than " +
                                      std::to_string(kMaxNameLength) +
                                      " characters");
  }
  return core::Status::Ok();
}

}  // namespace

core::Status ValidateRole(std::string_view role) {
  for (std::string_view r : {"admin", "manager", "clerk", "viewer"}) {
    if (role == r) return core::Status::Ok();
  }
  return core::InvalidArgumentError(
      "role must be one of admin, manager, clerk, viewer");
}

core::Result<std::string> NormaliseEmail(std::string_view email) {
  const auto space = [](unsigned char c) { return std::isspace(c) != 0; };
  while (!email.empty() && space(email.front())) email.remove_prefix(1);
  while (!email.empty() && space(email.back())) email.remove_suffix(1);
  if (email.empty()) return core::InvalidArgumentError("email is empty");
  if (email.size() > kMaxEmailLength) {
    return core::InvalidArgumentError("email is longer than 254 characters");
  }
  const size_t at = email.find('@');
  const bool one_at =
      at != std::string_view::npos && email.find('@', at + 1) == email.npos;
  const std::string_view domain =
      one_at ? email.substr(at + 1) : std::string_view();
  const bool bad_char = std::any_of(email.begin(), email.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7F;
  });
  if (!one_at || at == 0 || domain.empty() ||
      domain.find('.') == std::string_view::npos || domain.front() == '.' ||
      domain.back() == '.' || bad_char) {
    return core::InvalidArgumentError(
        "email must be an address like name@example.com");
  }
  return Lower(email);
}

core::Status CheckPasswordStrength(std::string_view password,
                                   std::string_view email) {
  if (CharacterCount(password) < kMinPasswordLength) {
    return core::InvalidArgumentError("password must be at least " +
                                      std::to_string(kMinPasswordLength) +
                                      " characters long");
  }
  if (password.size() > kMaxPasswordBytes) {
    return core::InvalidArgumentError("password is longer than " +
                                      std::to_string(kMaxPasswordBytes) +
                                      " bytes");
  }
  if (std::all_of(password.begin(), password.end(),
                  [&](char c) { return c == password.front(); })) {
    return core::InvalidArgumentError(
        "password must not be one character repeated");
  }
  const std::string lower = Lower(password);
  if (!email.empty() && lower == Lower(email)) {
    return core::InvalidArgumentError("password must not be the email address");
  }
  for (std::string_view common : kCommonPasswords) {
    if (lower == common) {
      return core::InvalidArgumentError(
          "password is one of the most common passwords; choose another");
    }
  }
  return core::Status::Ok();
}

UserService::UserService(const common::DomainDeps& deps, PasswordCost cost)
    : deps_(deps),
      hasher_(cost),
      unknown_user_hash_(
          hasher_.Hash("no such user: " + deps.ids->NextString()).value_or("")),
      users_(*deps.store, deps.repository),
      emails_(*deps.store, deps.repository) {}

core::Result<bool> UserService::ClaimEmail(const common::CommandContext& ctx,
                                           const std::string& email,
                                           const std::string& user_id) {
  ASSIGN_OR_RETURN(
      common::Committed claimed,
      emails_.Execute(
          ctx.tenant, EmailStream(email),
          [&](const EmailState& s, int64_t) -> core::Result<Events> {
            if (s.user_id == user_id) return Events{};
            if (!s.user_id.empty()) {
              // Held by another user: stale only if that user was
              // registered under another address (a crashed registration
              // never leaves a user stream, so its claim stays).
              ASSIGN_OR_RETURN(auto holder,
                               users_.Load(ctx.tenant, UserStream(s.user_id)));
              if (holder.version == 0 || holder.state.email == email) {
                return core::AlreadyExistsError("email '" + email +
                                                "' is already registered");
              }
            }
            Events out;
            out.push_back(common::NewEvent(
                deps_, ctx, kSource, std::string(kEmailClaimed), "user_email",
                email, {{"email", email}, {"userId", user_id}}));
            return out;
          }));
  return !claimed.events.empty();
}

void UserService::ReleaseEmail(const common::CommandContext& ctx,
                               const std::string& email,
                               const std::string& user_id) {
  // If this fails too the claim stays; the address then needs an operator
  // (see ClaimEmail).
  emails_
      .Execute(
          ctx.tenant, EmailStream(email),
          [&](const EmailState& s, int64_t) -> core::Result<Events> {
            if (s.user_id != user_id) return Events{};
            Events out;
            out.push_back(common::NewEvent(
                deps_, ctx, kSource, std::string(kEmailReleased), "user_email",
                email, {{"email", email}, {"userId", user_id}}));
            return out;
          })
      .status()
      .IgnoreError();
}

core::Result<UserState> UserService::Register(const common::CommandContext& ctx,
                                              NewUser nu) {
  if (nu.id.empty()) nu.id = "user-" + deps_.ids->NextString();
  RETURN_IF_ERROR(common::ValidateId(nu.id, "user id"));
  UserState u;
  u.exists = true;
  u.id = nu.id;
  ASSIGN_OR_RETURN(u.email, NormaliseEmail(nu.email));
  RETURN_IF_ERROR(ValidateRole(nu.role));
  u.role = nu.role;
  RETURN_IF_ERROR(ValidateName(nu.name));
  u.name = std::move(nu.name);
  RETURN_IF_ERROR(CheckPasswordStrength(nu.password, u.email));
  ASSIGN_OR_RETURN(u.password_hash, hasher_.Hash(nu.password));

  ASSIGN_OR_RETURN(const bool claimed, ClaimEmail(ctx, u.email, u.id));
  core::Result<common::Committed> created = users_.Execute(
      ctx.tenant, UserStream(u.id),
      [&](const UserState&, int64_t version) -> core::Result<Events> {
        if (version != 0) {
          return core::AlreadyExistsError("user '" + u.id + "' already exists");
        }
        boost::json::object registered = u.ToJson();
        if (u.name.empty()) registered.erase("name");
        Events out;
        out.push_back(common::NewEvent(deps_, ctx, kSource,
                                       std::string(kUserRegistered), "user",
                                       u.id, std::move(registered)));
        out.push_back(common::NewEvent(
            deps_, ctx, kSource, std::string(kUserPasswordSet), "user", u.id,
            {{"userId", u.id}, {"passwordHash", u.password_hash}}));
        return out;
      });
  if (!created.ok()) {
    if (claimed) ReleaseEmail(ctx, u.email, u.id);
    return created.status();
  }
  return u;
}

core::Result<UserState> UserService::UpdateUser(
    const common::CommandContext& ctx, std::string_view user_id,
    const UserChanges& changes) {
  RETURN_IF_ERROR(common::ValidateId(user_id, "user id"));
  if (changes.role) RETURN_IF_ERROR(ValidateRole(*changes.role));
  if (changes.name) RETURN_IF_ERROR(ValidateName(*changes.name));
  std::string new_hash;
  if (changes.password) {
    // The strength check needs the address; hash outside the command so a
    // retried command does not hash again.
    ASSIGN_OR_RETURN(UserState current, GetUser(ctx.tenant, user_id));
    RETURN_IF_ERROR(CheckPasswordStrength(*changes.password, current.email));
    ASSIGN_OR_RETURN(new_hash, hasher_.Hash(*changes.password));
  }
  UserState result;
  RETURN_IF_ERROR(
      users_
          .Execute(ctx.tenant, UserStream(user_id),
                   [&](const UserState& s, int64_t) -> core::Result<Events> {
                     if (!s.exists) {
                       return core::NotFoundError("no user '" +
                                                  std::string(user_id) + "'");
                     }
                     result = s;
                     boost::json::object diff;
                     if (changes.name && *changes.name != s.name) {
                       diff["name"] = *changes.name;
                       result.name = *changes.name;
                     }
                     if (changes.role && *changes.role != s.role) {
                       diff["role"] = *changes.role;
                       result.role = *changes.role;
                     }
                     if (!new_hash.empty()) {
                       diff["passwordChanged"] = true;
                       result.password_hash = new_hash;
                     }
                     if (diff.empty()) return Events{};
                     Events out;
                     out.push_back(common::NewEvent(
                         deps_, ctx, kSource, std::string(kUserUpdated), "user",
                         std::string(user_id),
                         {{"userId", user_id}, {"changes", std::move(diff)}}));
                     if (!new_hash.empty()) {
                       out.push_back(common::NewEvent(
                           deps_, ctx, kSource, std::string(kUserPasswordSet),
                           "user", std::string(user_id),
                           {{"userId", user_id}, {"passwordHash", new_hash}}));
                     }
                     return out;
                   })
          .status());
  return result;
}

core::Result<UserState> UserService::GetUser(std::string_view tenant,
                                             std::string_view user_id) const {
  RETURN_IF_ERROR(common::ValidateId(user_id, "user id"));
  ASSIGN_OR_RETURN(auto loaded, users_.Load(tenant, UserStream(user_id)));
  if (!loaded.state.exists) {
    return core::NotFoundError("no user '" + std::string(user_id) + "'");
  }
  return loaded.state;
}

core::Result<UserState> UserService::Authenticate(
    std::string_view tenant, std::string_view email,
    std::string_view password) const {
  const core::Status refused =
      core::UnauthenticatedError("invalid email or password");
  std::optional<UserState> user;
  if (core::Result<std::string> normal = NormaliseEmail(email); normal.ok()) {
    ASSIGN_OR_RETURN(auto claim, emails_.Load(tenant, EmailStream(*normal)));
    if (!claim.state.user_id.empty()) {
      ASSIGN_OR_RETURN(auto loaded,
                       users_.Load(tenant, UserStream(claim.state.user_id)));
      if (loaded.state.exists && loaded.state.email == *normal &&
          !loaded.state.password_hash.empty()) {
        user = std::move(loaded.state);
      }
    }
  }
  // One verification whether or not the user exists (see header).
  const std::string& hash = user ? user->password_hash : unknown_user_hash_;
  const bool match = hasher_.Verify(hash, password);
  if (!user || !match || password.size() > kMaxPasswordBytes) return refused;
  return *std::move(user);
}

}  // namespace stockpile::domain::users
