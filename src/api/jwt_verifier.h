// JwtVerifier: turns a bearer token into a Principal, or says why not.
//
//   ASSIGN_OR_RETURN(auto verifier, JwtVerifier::ForHs256Secret(secret,
//   clock)); Result<Principal> who = verifier->Verify(token);  //
//   Unauthenticated if bad
//
// Accepted tokens (DESIGN.md §7): compact JWS signed with exactly the
// configured algorithm — HS256 keyed with the raw bytes of a secret, or
// RS256 checked with an RSA public key (PEM). `alg: none` and every other
// algorithm are rejected before the signature is looked at, which also
// defeats the RS256->HS256 key-confusion attack. Claims: `sub`, `tenant`
// and `role` (admin|manager|clerk|viewer) are required non-empty strings;
// `exp` (seconds since the epoch) is required; `nbf` is honoured when
// present; both with `clock_skew` of tolerance. Signature checking is
// libjwt's; the claims are read here.
//
// Every failure is core::Unauthenticated with a short reason ("token has
// expired") that is safe to show the client.
//
// A client sends the same token with every request, and checking it was a
// fifth of the server's CPU on reads (libjwt's decode: base64, a JSON parse,
// the HMAC). A token that passed is remembered (up to kMaxCachedTokens,
// kMaxCachedBytes) with its claims: the same bytes again skip the signature
// and the parse, and only the time claims are checked again. Keyed by the
// whole token, signature included, so no other token can match an entry.
//
// Thread-safety: Verify may be called from any number of threads (the
// cache has its own lock); the configuration is immutable.
#ifndef STOCKPILE_API_JWT_VERIFIER_H_
#define STOCKPILE_API_JWT_VERIFIER_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "api/principal.h"
#include "core/clock.h"
#include "core/result.h"
#include "core/string_hash.h"

namespace stockpile::api {

struct JwtVerifierOptions {
  std::chrono::seconds clock_skew{30};
  size_t max_token_bytes = 8 * 1024;
  // Verified tokens remembered; the cache is emptied when either is passed.
  size_t max_cached_tokens = 1024;
  size_t max_cached_bytes = 1 << 20;
};

class JwtVerifier {
 public:
  enum class Algorithm { kHs256, kRs256 };

  // `secret` must not be empty. `clock` must outlive the verifier.
  static core::Result<std::unique_ptr<JwtVerifier>> ForHs256Secret(
      std::string secret, const core::Clock& clock,
      JwtVerifierOptions options = {});
  // `pem` is an RSA public key ("-----BEGIN PUBLIC KEY-----").
  static core::Result<std::unique_ptr<JwtVerifier>> ForRs256PublicKeyPem(
      std::string pem, const core::Clock& clock,
      JwtVerifierOptions options = {});
  // Reads the PEM from `path`; NotFound/InvalidArgument name the file.
  static core::Result<std::unique_ptr<JwtVerifier>> ForRs256PublicKeyFile(
      const std::string& path, const core::Clock& clock,
      JwtVerifierOptions options = {});

  // The Principal of a valid token; Unauthenticated otherwise.
  core::Result<Principal> Verify(std::string_view token) const;

  // The token of an "Authorization: Bearer <token>" header value
  // (scheme case-insensitive); Unauthenticated when it is not one.
  static core::Result<std::string_view> BearerToken(
      std::string_view authorization);

  Algorithm algorithm() const { return algorithm_; }

 private:
  JwtVerifier(Algorithm algorithm, std::string key, const core::Clock& clock,
              JwtVerifierOptions options);

  // A verified token's claims.
  struct Verified {
    Principal principal;
    int64_t exp = 0;
    std::optional<int64_t> nbf;
  };

  core::Status CheckSignature(const std::string& token) const;
  core::Result<Verified> VerifyUncached(std::string_view token) const;
  // Unauthenticated when `claims` are expired or not yet valid now.
  core::Status CheckTime(const Verified& claims) const;

  // Immutable after construction.
  const Algorithm algorithm_;
  const std::string key_;  // the HS256 secret bytes or the RS256 PEM
  const core::Clock& clock_;
  const JwtVerifierOptions options_;

  mutable std::shared_mutex cache_mu_;
  mutable std::unordered_map<std::string, Verified, core::StringHash,
                             std::equal_to<>>
      cache_;                        // GUARDED_BY(cache_mu_)
  mutable size_t cached_bytes_ = 0;  // GUARDED_BY(cache_mu_)
};

}  // namespace stockpile::api

#endif  // STOCKPILE_API_JWT_VERIFIER_H_
