#include "api/jwt_verifier.h"

#include <jwt.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <boost/json.hpp>
#include <cmath>
#include <fstream>
#include <sstream>
#include <utility>

#include "api/base64url.h"
#include "api/headers.h"
#include "core/event_codec.h"
#include "core/status_macros.h"

namespace stockpile::api {
namespace {

constexpr size_t kMaxClaimLength = 256;

core::Status Unauthenticated(std::string_view why) {
  return core::UnauthenticatedError(why);
}

// Decodes one base64url JWT segment holding a JSON object.
core::Result<boost::json::object> DecodeSegment(std::string_view segment,
                                                std::string_view what) {
  core::Result<std::string> text = Base64UrlDecode(segment);
  if (!text.ok()) {
    return Unauthenticated("token " + std::string(what) + " is not base64url");
  }
  core::CodecLimits limits;
  limits.max_bytes = text->size() + 1;
  limits.max_depth = 8;
  core::Result<boost::json::value> json = core::ParseJson(*text, limits);
  if (!json.ok() || !json->is_object()) {
    return Unauthenticated("token " + std::string(what) +
                           " is not a JSON object");
  }
  return std::move(json->get_object());
}

core::Result<std::string> RequiredString(const boost::json::object& claims,
                                         std::string_view name) {
  const boost::json::value* v = claims.if_contains(name);
  if (v == nullptr) {
    return Unauthenticated("token lacks the '" + std::string(name) + "' claim");
  }
  const boost::json::string* s = v->if_string();
  if (s == nullptr || s->empty() || s->size() > kMaxClaimLength) {
    return Unauthenticated("token claim '" + std::string(name) +
                           "' must be a non-empty string");
  }
  return std::string(s->data(), s->size());
}

// A NumericDate claim in whole seconds; nullopt when absent.
core::Result<std::optional<int64_t>> NumericDate(
    const boost::json::object& claims, std::string_view name) {
  const boost::json::value* v = claims.if_contains(name);
  if (v == nullptr) return std::optional<int64_t>();
  if (v->is_int64()) return std::optional<int64_t>(v->get_int64());
  if (v->is_uint64() && v->get_uint64() < (uint64_t{1} << 62)) {
    return std::optional<int64_t>(static_cast<int64_t>(v->get_uint64()));
  }
  if (v->is_double() && std::isfinite(v->get_double()) &&
      std::fabs(v->get_double()) < 4e18) {
    return std::optional<int64_t>(
        static_cast<int64_t>(std::floor(v->get_double())));
  }
  return Unauthenticated("token claim '" + std::string(name) +
                         "' must be a number of seconds");
}

std::string_view AlgorithmName(JwtVerifier::Algorithm algorithm) {
  return algorithm == JwtVerifier::Algorithm::kHs256 ? "HS256" : "RS256";
}

}  // namespace

JwtVerifier::JwtVerifier(Algorithm algorithm, std::string key,
                         const core::Clock& clock, JwtVerifierOptions options)
    : algorithm_(algorithm),
      key_(std::move(key)),
      clock_(clock),
      options_(options) {}

core::Result<std::unique_ptr<JwtVerifier>> JwtVerifier::ForHs256Secret(
    std::string secret, const core::Clock& clock, JwtVerifierOptions options) {
  if (secret.empty()) {
    return core::InvalidArgumentError("the JWT secret must not be empty");
  }
  return std::unique_ptr<JwtVerifier>(
      new JwtVerifier(Algorithm::kHs256, std::move(secret), clock, options));
}

core::Result<std::unique_ptr<JwtVerifier>> JwtVerifier::ForRs256PublicKeyPem(
    std::string pem, const core::Clock& clock, JwtVerifierOptions options) {
  // Refuse a bad key now rather than failing every request later.
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (bio == nullptr) return core::InternalError("BIO_new_mem_buf failed");
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (key == nullptr) {
    return core::InvalidArgumentError(
        "the JWT public key is not a PEM public key");
  }
  const bool is_rsa = EVP_PKEY_base_id(key) == EVP_PKEY_RSA;
  EVP_PKEY_free(key);
  if (!is_rsa) {
    return core::InvalidArgumentError("the JWT public key is not an RSA key");
  }
  return std::unique_ptr<JwtVerifier>(
      new JwtVerifier(Algorithm::kRs256, std::move(pem), clock, options));
}

core::Result<std::unique_ptr<JwtVerifier>> JwtVerifier::ForRs256PublicKeyFile(
    const std::string& path, const core::Clock& clock,
    JwtVerifierOptions options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return core::NotFoundError("cannot read JWT public key file '" + path +
                               "'");
  }
  std::ostringstream text;
  text << in.rdbuf();
  core::Result<std::unique_ptr<JwtVerifier>> verifier =
      ForRs256PublicKeyPem(text.str(), clock, options);
  if (!verifier.ok()) return verifier.status().WithContext(path);
  return verifier;
}

core::Result<std::string_view> JwtVerifier::BearerToken(
    std::string_view authorization) {
  constexpr std::string_view kScheme = "Bearer ";
  if (authorization.size() <= kScheme.size() ||
      !EqualsIgnoreCase(authorization.substr(0, kScheme.size()), kScheme)) {
    return Unauthenticated("the Authorization header must be 'Bearer <token>'");
  }
  std::string_view token = authorization.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  if (token.empty()) return Unauthenticated("the bearer token is empty");
  return token;
}

core::Status JwtVerifier::CheckSignature(const std::string& token) const {
  jwt_t* jwt = nullptr;
  const int rc = jwt_decode(&jwt, token.c_str(),
                            reinterpret_cast<const unsigned char*>(key_.data()),
                            static_cast<int>(key_.size()));
  if (rc != 0 || jwt == nullptr) {
    if (jwt != nullptr) jwt_free(jwt);
    return Unauthenticated("token signature is invalid");
  }
  const jwt_alg_t expected =
      algorithm_ == Algorithm::kHs256 ? JWT_ALG_HS256 : JWT_ALG_RS256;
  const bool alg_ok = jwt_get_alg(jwt) == expected;
  jwt_free(jwt);
  if (!alg_ok) return Unauthenticated("token algorithm is not accepted");
  return core::Status::Ok();
}

core::Result<Principal> JwtVerifier::Verify(std::string_view token) const {
  {
    std::shared_lock lock(cache_mu_);
    if (auto it = cache_.find(token); it != cache_.end()) {
      RETURN_IF_ERROR(CheckTime(it->second));
      return it->second.principal;
    }
  }
  ASSIGN_OR_RETURN(Verified verified, VerifyUncached(token));
  std::unique_lock lock(cache_mu_);
  if (cache_.size() >= options_.max_cached_tokens ||
      cached_bytes_ + token.size() > options_.max_cached_bytes) {
    cache_.clear();
    cached_bytes_ = 0;
  }
  if (cache_.emplace(std::string(token), verified).second) {
    cached_bytes_ += token.size();
  }
  return std::move(verified.principal);
}

core::Status JwtVerifier::CheckTime(const Verified& claims) const {
  const int64_t now_s = clock_.NowMillis() / 1000;
  const int64_t skew_s = options_.clock_skew.count();
  // Written so that no claim value can overflow: exp may be any int64.
  if (now_s - skew_s >= claims.exp) return Unauthenticated("token has expired");
  if (claims.nbf.has_value() && *claims.nbf > now_s + skew_s) {
    return Unauthenticated("token is not valid yet (nbf)");
  }
  return core::Status::Ok();
}

core::Result<JwtVerifier::Verified> JwtVerifier::VerifyUncached(
    std::string_view token) const {
  if (token.size() > options_.max_token_bytes) {
    return Unauthenticated("token is too long");
  }
  const size_t dot1 = token.find('.');
  const size_t dot2 =
      dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos ||
      token.find('.', dot2 + 1) != std::string_view::npos) {
    return Unauthenticated("token is not a JWT (header.payload.signature)");
  }
  // The algorithm is checked before any key is used with it.
  ASSIGN_OR_RETURN(boost::json::object header,
                   DecodeSegment(token.substr(0, dot1), "header"));
  const boost::json::value* alg = header.if_contains("alg");
  const boost::json::string* alg_name = alg ? alg->if_string() : nullptr;
  if (alg_name == nullptr || *alg_name != AlgorithmName(algorithm_)) {
    return Unauthenticated("token algorithm must be " +
                           std::string(AlgorithmName(algorithm_)));
  }
  RETURN_IF_ERROR(CheckSignature(std::string(token)));

  ASSIGN_OR_RETURN(
      boost::json::object claims,
      DecodeSegment(token.substr(dot1 + 1, dot2 - dot1 - 1), "payload"));
  Verified verified;
  ASSIGN_OR_RETURN(std::optional<int64_t> exp, NumericDate(claims, "exp"));
  if (!exp.has_value()) return Unauthenticated("token lacks the 'exp' claim");
  verified.exp = *exp;
  ASSIGN_OR_RETURN(verified.nbf, NumericDate(claims, "nbf"));
  RETURN_IF_ERROR(CheckTime(verified));

  Principal& principal = verified.principal;
  ASSIGN_OR_RETURN(principal.subject, RequiredString(claims, "sub"));
  ASSIGN_OR_RETURN(principal.tenant, RequiredString(claims, "tenant"));
  ASSIGN_OR_RETURN(std::string role, RequiredString(claims, "role"));
  core::Result<Role> parsed_role = ParseRole(role);
  if (!parsed_role.ok()) {
    return Unauthenticated(
        "token role must be admin, manager, clerk or viewer");
  }
  principal.role = *parsed_role;
  return verified;
}

}  // namespace stockpile::api
