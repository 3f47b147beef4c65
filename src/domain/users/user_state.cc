#include "domain/users/user_state.h"

#include "core/uuid.h"
#include "domain/common/json_fields.h"

namespace stockpile::domain::users {

std::string UserStream(std::string_view user_id) {
  return "user-" + std::string(user_id);
}

std::string EmailStream(std::string_view email) {
  return "user-email-" +
         core::Uuid::FromName("stockpile.user.email", email).ToString();
}

boost::json::object UserState::ToJson() const {
  boost::json::object o;
  o["userId"] = id;
  o["email"] = email;
  o["name"] = name;
  o["role"] = role;
  return o;
}

void UserState::Apply(const core::Event& e) {
  if (e.event_type == kUserRegistered) {
    *this = UserState();
    exists = true;
    id = common::JsonString(e.payload, "userId");
    email = common::JsonString(e.payload, "email");
    name = common::JsonString(e.payload, "name");
    role = common::JsonString(e.payload, "role");
  } else if (e.event_type == kUserUpdated) {
    const boost::json::value* c = e.payload.if_contains("changes");
    if (c == nullptr || !c->is_object()) return;
    const boost::json::object& changes = c->get_object();
    if (changes.contains("name")) name = common::JsonString(changes, "name");
    if (changes.contains("role")) role = common::JsonString(changes, "role");
  } else if (e.event_type == kUserPasswordSet) {
    password_hash = common::JsonString(e.payload, "passwordHash");
  }
}

boost::json::object UserState::ToSnapshot() const {
  boost::json::object o = ToJson();
  o["passwordHash"] = password_hash;
  return o;
}

core::Result<UserState> UserState::FromSnapshot(const boost::json::object& o) {
  UserState s;
  s.exists = true;
  s.id = common::JsonString(o, "userId");
  s.email = common::JsonString(o, "email");
  s.name = common::JsonString(o, "name");
  s.role = common::JsonString(o, "role");
  s.password_hash = common::JsonString(o, "passwordHash");
  return s;
}

void EmailState::Apply(const core::Event& e) {
  if (e.event_type == kEmailClaimed) {
    user_id = std::string(e.PayloadString("userId"));
  } else if (e.event_type == kEmailReleased &&
             e.PayloadString("userId") == user_id) {
    user_id.clear();
  }
}

boost::json::object EmailState::ToSnapshot() const {
  return boost::json::object{{"userId", user_id}};
}

core::Result<EmailState> EmailState::FromSnapshot(
    const boost::json::object& o) {
  EmailState s;
  s.user_id = common::JsonString(o, "userId");
  return s;
}

}  // namespace stockpile::domain::users
