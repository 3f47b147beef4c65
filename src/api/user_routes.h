// The users and login routes (DESIGN.md §7 "users, auth").
//
//   POST  /api/v1/users          operations  201 + Location  {email, password,
//                                            role, name?, id?}
//   GET   /api/v1/users          operations  ?after=&limit=  {items,next}
//   GET   /api/v1/users/{id}     operations
//   PATCH /api/v1/users/{id}     operations  {name?, role?, password?}
//   POST  /api/v1/auth/login     public      {tenant, email, password}
//                                            -> {token, tokenType, expiresAt,
//                                                user}
//
// A user as clients see it: {id, email, name, role} — never a password or
// its hash. Login answers one 401 for an unknown tenant, an unknown email
// and a wrong password alike (users/user_service.h); the token is signed
// with the server's own JwtSigner, so it is accepted like any other.
#ifndef STOCKPILE_API_USER_ROUTES_H_
#define STOCKPILE_API_USER_ROUTES_H_

#include <chrono>

#include "api/jwt_signer.h"
#include "api/router.h"
#include "core/clock.h"
#include "domain/common/keyed_view.h"
#include "domain/users/user_service.h"

namespace stockpile::api {

struct UsersApi {
  domain::users::UserService* service = nullptr;
  const domain::common::KeyedView<domain::users::UserState>* users = nullptr;
  const JwtSigner* signer = nullptr;
  const core::Clock* clock = nullptr;
  std::chrono::seconds token_ttl{std::chrono::hours(8)};
};

// Everything in `users` must be set and outlive the router.
void AddUserRoutes(Router& router, const UsersApi& users);

}  // namespace stockpile::api

#endif  // STOCKPILE_API_USER_ROUTES_H_
