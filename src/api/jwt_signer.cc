#include "api/jwt_signer.h"

#include <jwt.h>

#include <cstdlib>
#include <string>

namespace stockpile::api {
namespace {

// Owns a jwt_t.
struct JwtDeleter {
  void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};

}  // namespace

core::Result<std::unique_ptr<JwtSigner>> JwtSigner::ForHs256Secret(
    std::string secret, const core::Clock& clock) {
  if (secret.empty()) {
    return core::InvalidArgumentError("the JWT secret must not be empty");
  }
  return std::unique_ptr<JwtSigner>(new JwtSigner(std::move(secret), clock));
}

core::Result<std::string> JwtSigner::Sign(const Principal& principal,
                                          std::chrono::seconds ttl) const {
  if (principal.subject.empty() || principal.tenant.empty()) {
    return core::InvalidArgumentError("a token needs a subject and a tenant");
  }
  if (ttl.count() <= 0) {
    return core::InvalidArgumentError("a token's ttl must be positive");
  }
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) return core::InternalError("jwt_new failed");
  std::unique_ptr<jwt_t, JwtDeleter> jwt(raw);
  const long now_s = static_cast<long>(clock_.NowMillis() / 1000);
  const std::string role(RoleName(principal.role));
  bool ok = jwt_add_grant(jwt.get(), "sub", principal.subject.c_str()) == 0 &&
            jwt_add_grant(jwt.get(), "tenant", principal.tenant.c_str()) == 0 &&
            jwt_add_grant(jwt.get(), "role", role.c_str()) == 0 &&
            jwt_add_grant_int(jwt.get(), "iat", now_s) == 0 &&
            jwt_add_grant_int(jwt.get(), "exp",
                              now_s + static_cast<long>(ttl.count())) == 0;
  ok = ok && jwt_set_alg(jwt.get(), JWT_ALG_HS256,
                         reinterpret_cast<const unsigned char*>(secret_.data()),
                         static_cast<int>(secret_.size())) == 0;
  if (!ok) return core::InternalError("building the JWT failed");
  char* encoded = jwt_encode_str(jwt.get());
  if (encoded == nullptr) return core::InternalError("signing the JWT failed");
  std::string token(encoded);
  std::free(encoded);  // NOLINT: libjwt 1.10 allocates with malloc
  return token;
}

}  // namespace stockpile::api
