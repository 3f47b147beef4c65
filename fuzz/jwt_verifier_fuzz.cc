// libFuzzer target: bearer-token parsing and verification
// (api/jwt_verifier.h).
//
// Each input is tried twice:
//   1. as a raw token (and as an Authorization header value): garbage,
//      truncated segments, alg confusion — all must be refused cleanly;
//   2. as "header JSON\npayload JSON" (or just payload JSON under the HS256
//      header), signed here with the verifier's secret, so the fuzzer reaches
//      the claim checks (exp/nbf arithmetic, sub/tenant/role) behind a valid
//      signature.
// Properties checked, beyond "no crash, no sanitizer report": every refusal
// is Unauthenticated, and an accepted token names a non-empty subject and
// tenant.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "api/base64url.h"
#include "api/jwt_verifier.h"
#include "core/check.h"
#include "core/clock.h"

using stockpile::api::Base64UrlEncode;
using stockpile::api::JwtVerifier;
using stockpile::api::Principal;
using stockpile::core::ManualClock;
using stockpile::core::Result;
using stockpile::core::StatusCode;

namespace {

constexpr std::string_view kSecret = "fuzz-secret-fuzz-secret-fuzz-sec";

std::string SignHs256(std::string_view header, std::string_view payload) {
  const std::string signing_input =
      Base64UrlEncode(header) + "." + Base64UrlEncode(payload);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  HMAC(EVP_sha256(), kSecret.data(), static_cast<int>(kSecret.size()),
       reinterpret_cast<const unsigned char*>(signing_input.data()),
       signing_input.size(), mac, &mac_size);
  return signing_input + "." +
         Base64UrlEncode(
             std::string_view(reinterpret_cast<const char*>(mac), mac_size));
}

void CheckOutcome(const Result<Principal>& who, std::string_view token) {
  if (who.ok()) {
    CHECK(!who->subject.empty() && !who->tenant.empty())
        << "accepted a token without subject or tenant: " << token;
  } else {
    CHECK(who.status().code() == StatusCode::kUnauthenticated)
        << "refusal is not Unauthenticated: " << who.status();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  // The fuzzer's clock stands still, so exp/nbf outcomes are reproducible.
  static const ManualClock* const clock = new ManualClock();
  static const JwtVerifier* const verifier =
      JwtVerifier::ForHs256Secret(std::string(kSecret), *clock)
          .value()
          .release();

  CheckOutcome(verifier->Verify(input), input);
  Result<std::string_view> bearer = JwtVerifier::BearerToken(input);
  if (bearer.ok()) CheckOutcome(verifier->Verify(*bearer), *bearer);

  const size_t newline = input.find('\n');
  const std::string token =
      newline == std::string_view::npos
          ? SignHs256(R"({"alg":"HS256","typ":"JWT"})", input)
          : SignHs256(input.substr(0, newline), input.substr(newline + 1));
  CheckOutcome(verifier->Verify(token), token);
  return 0;
}
