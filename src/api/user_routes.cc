#include "api/user_routes.h"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <string>
#include <utility>

#include "api/body_fields.h"
#include "api/domain_api.h"
#include "api/json_body.h"
#include "api/query_params.h"
#include "api/status_http.h"
#include "core/status_macros.h"
#include "core/time_format.h"

namespace stockpile::api {

using domain::users::UserState;

namespace {

constexpr size_t kDefaultPage = 50;
constexpr size_t kMaxPage = 500;

boost::json::object UserToJson(const UserState& u) {
  return boost::json::object{
      {"id", u.id}, {"email", u.email}, {"name", u.name}, {"role", u.role}};
}

core::Result<domain::users::NewUser> ParseNewUser(
    const boost::json::object& body) {
  domain::users::NewUser u;
  ASSIGN_OR_RETURN(std::optional<std::string> id, OptionalString(body, "id"));
  if (id) u.id = std::move(*id);
  ASSIGN_OR_RETURN(u.email, RequiredString(body, "email"));
  ASSIGN_OR_RETURN(u.password, RequiredString(body, "password"));
  ASSIGN_OR_RETURN(u.role, RequiredString(body, "role"));
  ASSIGN_OR_RETURN(std::optional<std::string> name,
                   OptionalString(body, "name"));
  if (name) u.name = std::move(*name);
  return u;
}

Response CreateUser(const UsersApi& api, const Request& req) {
  auto body = ParseJsonObjectBody(req);
  if (!body.ok())
    return ErrorResponse(body.status(), req, ErrorStage::kDecoding);
  auto user = ParseNewUser(*body);
  if (!user.ok()) return ErrorResponse(user.status(), req);
  auto created = api.service->Register(CommandContextOf(req), std::move(*user));
  if (!created.ok()) return ErrorResponse(created.status(), req);
  return std::move(
             Response::Json(201, boost::json::serialize(UserToJson(*created))))
      .WithHeader("Location", "/api/v1/users/" + created->id);
}

Response ListUsers(const UsersApi& api, const Request& req) {
  auto limit = LimitQuery(req, kDefaultPage, kMaxPage);
  if (!limit.ok())
    return ErrorResponse(limit.status(), req, ErrorStage::kDecoding);
  std::string next;
  std::vector<UserState> page =
      api.users->ByKey(req.caller().tenant, req.Query("after").value_or(""),
                       *limit, nullptr, &next);
  boost::json::array items;
  for (const UserState& u : page) items.push_back(UserToJson(u));
  return PageResponse(std::move(items), next);
}

Response GetUser(const UsersApi& api, const Request& req) {
  auto user = api.service->GetUser(req.caller().tenant, req.PathParam("id"));
  if (!user.ok()) return ErrorResponse(user.status(), req);
  return Response::Json(200, boost::json::serialize(UserToJson(*user)));
}

Response PatchUser(const UsersApi& api, const Request& req) {
  auto body = ParseJsonObjectBody(req);
  if (!body.ok())
    return ErrorResponse(body.status(), req, ErrorStage::kDecoding);
  domain::users::UserChanges changes;
  auto parse = [&]() -> core::Status {
    ASSIGN_OR_RETURN(changes.name, OptionalString(*body, "name"));
    ASSIGN_OR_RETURN(changes.role, OptionalString(*body, "role"));
    ASSIGN_OR_RETURN(changes.password, OptionalString(*body, "password"));
    return core::Status::Ok();
  };
  if (core::Status s = parse(); !s.ok()) return ErrorResponse(s, req);
  auto updated = api.service->UpdateUser(CommandContextOf(req),
                                         req.PathParam("id"), changes);
  if (!updated.ok()) return ErrorResponse(updated.status(), req);
  return Response::Json(200, boost::json::serialize(UserToJson(*updated)));
}

Response Login(const UsersApi& api, const Request& req) {
  auto body = ParseJsonObjectBody(req);
  if (!body.ok())
    return ErrorResponse(body.status(), req, ErrorStage::kDecoding);
  std::string tenant;
  std::string email;
  std::string password;
  auto parse = [&]() -> core::Status {
    ASSIGN_OR_RETURN(tenant, RequiredString(*body, "tenant"));
    ASSIGN_OR_RETURN(email, RequiredString(*body, "email"));
    ASSIGN_OR_RETURN(password, RequiredString(*body, "password"));
    return core::Status::Ok();
  };
  if (core::Status s = parse(); !s.ok()) return ErrorResponse(s, req);
  auto user = api.service->Authenticate(tenant, email, password);
  if (!user.ok()) return ErrorResponse(user.status(), req);
  auto role = ParseRole(user->role);
  if (!role.ok()) return ErrorResponse(role.status(), req);
  const int64_t now_seconds = api.clock->NowMillis() / 1000;
  auto token = api.signer->Sign({user->id, tenant, *role}, api.token_ttl);
  if (!token.ok()) return ErrorResponse(token.status(), req);
  boost::json::object out{
      {"token", *token},
      {"tokenType", "Bearer"},
      {"expiresAt",
       core::FormatRfc3339Millis((now_seconds + api.token_ttl.count()) * 1000)},
      {"user", UserToJson(*user)}};
  return Response::Json(200, boost::json::serialize(out));
}

}  // namespace

void AddUserRoutes(Router& router, const UsersApi& api) {
  using P = Permission;
  auto bind = [api](Response (*f)(const UsersApi&, const Request&)) {
    return [api, f](const Request& req) { return f(api, req); };
  };
  router.Add("POST", "/api/v1/users", P::kOperations, bind(CreateUser));
  router.Add("GET", "/api/v1/users", P::kOperations, bind(ListUsers));
  router.Add("GET", "/api/v1/users/{id}", P::kOperations, bind(GetUser));
  router.Add("PATCH", "/api/v1/users/{id}", P::kOperations, bind(PatchUser));
  router.AddPublic("POST", "/api/v1/auth/login", bind(Login));
}

}  // namespace stockpile::api
