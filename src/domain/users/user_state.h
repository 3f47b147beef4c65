// UserState: the user aggregate (stream "user-<id>"), folded from
// user.registered / user.updated / user.password.set; and EmailState: the
// owner of one email address within a tenant (stream "user-email-<uuid of
// the lowercased address>"), folded from user.email.claimed / released —
// the uniqueness index, as SkuState is for skus (catalog/product_state.h).
//
// The Argon2id hash travels only in user.password.set, in the user's own
// stream; user.registered and user.updated never carry it, and the HTTP
// event API redacts it (api/events_routes.cc). A password itself is never
// stored anywhere.
//
// Thread-safety: plain values.
#ifndef STOCKPILE_DOMAIN_USERS_USER_STATE_H_
#define STOCKPILE_DOMAIN_USERS_USER_STATE_H_

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "core/event.h"
#include "core/result.h"

namespace stockpile::domain::users {

inline constexpr std::string_view kUserRegistered = "user.registered";
inline constexpr std::string_view kUserUpdated = "user.updated";
inline constexpr std::string_view kUserPasswordSet = "user.password.set";
inline constexpr std::string_view kEmailClaimed = "user.email.claimed";
inline constexpr std::string_view kEmailReleased = "user.email.released";

std::string UserStream(std::string_view user_id);
// `email` as given; the stream is that of its normalised (lowercase) form.
std::string EmailStream(std::string_view email);

struct UserState {
  static constexpr int kSnapshotSchema = 1;

  bool exists = false;
  std::string id;
  std::string email;  // normalised: trimmed, lowercase
  std::string name;
  std::string role;           // admin | manager | clerk | viewer
  std::string password_hash;  // Argon2id string; "" before the first set

  // {userId, email, name, role}: the user as clients see it, no hash.
  boost::json::object ToJson() const;

  void Apply(const core::Event& e);
  boost::json::object ToSnapshot() const;
  static core::Result<UserState> FromSnapshot(const boost::json::object& o);
};

struct EmailState {
  static constexpr int kSnapshotSchema = 1;

  std::string user_id;  // "" when nobody holds the address

  void Apply(const core::Event& e);
  boost::json::object ToSnapshot() const;
  static core::Result<EmailState> FromSnapshot(const boost::json::object& o);
};

}  // namespace stockpile::domain::users

#endif  // STOCKPILE_DOMAIN_USERS_USER_STATE_H_
