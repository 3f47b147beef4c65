// JwtSigner: mints HS256 tokens that JwtVerifier::ForHs256Secret accepts,
// for `stockpile token` and POST /api/v1/auth/login (DESIGN.md §8).
//
//   ASSIGN_OR_RETURN(auto signer, JwtSigner::ForHs256Secret(secret, clock));
//   ASSIGN_OR_RETURN(std::string token,
//                    signer->Sign({"u-1", "acme", Role::kAdmin}, 3600s));
//
// Claims written: sub, tenant, role, iat, exp = iat + ttl.
//
// Thread-safety: immutable after construction; Sign may be called from any
// number of threads.
#ifndef STOCKPILE_API_JWT_SIGNER_H_
#define STOCKPILE_API_JWT_SIGNER_H_

#include <chrono>
#include <memory>
#include <string>

#include "api/principal.h"
#include "core/clock.h"
#include "core/result.h"

namespace stockpile::api {

class JwtSigner {
 public:
  // `secret` must not be empty. `clock` must outlive the signer.
  static core::Result<std::unique_ptr<JwtSigner>> ForHs256Secret(
      std::string secret, const core::Clock& clock);

  // InvalidArgument for an empty sub/tenant or a non-positive ttl.
  core::Result<std::string> Sign(const Principal& principal,
                                 std::chrono::seconds ttl) const;

 private:
  JwtSigner(std::string secret, const core::Clock& clock)
      : secret_(std::move(secret)), clock_(clock) {}

  // Immutable after construction.
  const std::string secret_;
  const core::Clock& clock_;
};

}  // namespace stockpile::api

#endif  // STOCKPILE_API_JWT_SIGNER_H_
