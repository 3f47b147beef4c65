#include "api/jwt_verifier.h"

#include <gtest/gtest.h>
#include <jwt.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <cstdlib>
#include <fstream>

#include "api/base64url.h"
#include "api/jwt_signer.h"

namespace stockpile::api {
namespace {

using std::chrono::seconds;

constexpr std::string_view kSecret = "correct horse battery staple";

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out,
       &len);
  return std::string(reinterpret_cast<const char*>(out), len);
}

// A compact JWS with the given header and claims, signed with HMAC-SHA256
// under `key` (whatever the header claims), or unsigned when `key` is empty.
std::string Token(std::string_view header, std::string_view claims,
                  std::string_view key) {
  std::string signing_input =
      Base64UrlEncode(header) + "." + Base64UrlEncode(claims);
  std::string signature =
      key.empty() ? "" : Base64UrlEncode(HmacSha256(key, signing_input));
  return signing_input + "." + signature;
}

class JwtVerifierTest : public ::testing::Test {
 protected:
  std::string Claims(int64_t exp_offset, std::string extra = "") const {
    const int64_t now = clock_.NowMillis() / 1000;
    return "{\"sub\":\"u-1\",\"tenant\":\"acme\",\"role\":\"clerk\",\"exp\":" +
           std::to_string(now + exp_offset) + extra + "}";
  }
  std::string Hs256(std::string_view claims) const {
    return Token("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims, kSecret);
  }
  std::unique_ptr<JwtVerifier> Verifier() const {
    return *JwtVerifier::ForHs256Secret(std::string(kSecret), clock_);
  }

  core::ManualClock clock_;
};

TEST_F(JwtVerifierTest, AcceptsTokensFromTheSigner) {
  auto signer = *JwtSigner::ForHs256Secret(std::string(kSecret), clock_);
  auto token = signer->Sign({"u-7", "acme", Role::kManager}, seconds(60));
  ASSERT_TRUE(token.ok()) << token.status();
  auto principal = Verifier()->Verify(*token);
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(*principal, (Principal{"u-7", "acme", Role::kManager}));
}

TEST_F(JwtVerifierTest, AcceptsAHandMadeHs256Token) {
  auto principal = Verifier()->Verify(Hs256(Claims(60)));
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->tenant, "acme");
  EXPECT_EQ(principal->role, Role::kClerk);
}

TEST_F(JwtVerifierTest, RejectsGarbledTokens) {
  for (std::string_view bad : {"", "abc", "a.b", "a.b.c.d", "!!.??.##",
                               "eyJhbGciOiJIUzI1NiJ9.e30.AAAA"}) {
    auto r = Verifier()->Verify(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), core::StatusCode::kUnauthenticated);
  }
}

TEST_F(JwtVerifierTest, RejectsAWrongKey) {
  std::string token =
      Token("{\"alg\":\"HS256\"}", Claims(60), "some other secret");
  EXPECT_FALSE(Verifier()->Verify(token).ok());
}

TEST_F(JwtVerifierTest, RejectsATamperedPayload) {
  std::string token = Hs256(Claims(60));
  std::string forged = Hs256(
      "{\"sub\":\"u-1\",\"tenant\":\"other\",\"role\":\"admin\",\"exp\":1}");
  // Header and signature of the real token around another payload.
  const size_t d1 = token.find('.'), d2 = token.rfind('.');
  const size_t f1 = forged.find('.'), f2 = forged.rfind('.');
  std::string spliced =
      token.substr(0, d1) + forged.substr(f1, f2 - f1) + token.substr(d2);
  EXPECT_FALSE(Verifier()->Verify(spliced).ok());
}

TEST_F(JwtVerifierTest, RejectsAlgNone) {
  auto r = Verifier()->Verify(Token("{\"alg\":\"none\"}", Claims(60), ""));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("algorithm"), std::string::npos);
  EXPECT_FALSE(Verifier()
                   ->Verify(Token("{\"alg\":\"none\"}", Claims(60), kSecret))
                   .ok());
}

TEST_F(JwtVerifierTest, RejectsOtherAlgorithms) {
  EXPECT_FALSE(Verifier()
                   ->Verify(Token("{\"alg\":\"HS384\"}", Claims(60), kSecret))
                   .ok());
  EXPECT_FALSE(
      Verifier()->Verify(Token("{\"typ\":\"JWT\"}", Claims(60), kSecret)).ok());
}

TEST_F(JwtVerifierTest, ExpiryHonoursTheClockSkew) {
  auto verifier = Verifier();
  EXPECT_TRUE(verifier->Verify(Hs256(Claims(-10))).ok());  // within 30 s
  auto expired = verifier->Verify(Hs256(Claims(-31)));
  ASSERT_FALSE(expired.ok());
  EXPECT_NE(expired.status().message().find("expired"), std::string::npos);

  std::string token = Hs256(Claims(60));
  clock_.Advance(std::chrono::minutes(2));
  EXPECT_FALSE(verifier->Verify(token).ok());
}

// A token verified once is remembered; its time claims are still checked
// at every use, and nothing that differs from it by a byte is taken for it.
TEST_F(JwtVerifierTest, RememberedTokensStillExpireAndMatchOnlyThemselves) {
  auto verifier = Verifier();
  const int64_t now = clock_.NowMillis() / 1000;
  const std::string token =
      Hs256(Claims(60, ",\"nbf\":" + std::to_string(now - 5)));
  ASSERT_TRUE(verifier->Verify(token).ok());
  ASSERT_TRUE(verifier->Verify(token).ok());  // from the cache
  std::string forged = token;
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(verifier->Verify(forged).ok());
  EXPECT_FALSE(verifier->Verify(token + " ").ok());
  clock_.Advance(std::chrono::minutes(2));
  auto expired = verifier->Verify(token);
  ASSERT_FALSE(expired.ok());
  EXPECT_NE(expired.status().message().find("expired"), std::string::npos);

  // A token not valid yet is refused, and accepted once its time came.
  const int64_t later = clock_.NowMillis() / 1000 + 120;
  const std::string early =
      Hs256(Claims(600, ",\"nbf\":" + std::to_string(later)));
  EXPECT_FALSE(verifier->Verify(early).ok());
  clock_.Advance(std::chrono::minutes(2));
  EXPECT_TRUE(verifier->Verify(early).ok());
  clock_.Advance(std::chrono::minutes(20));
  EXPECT_FALSE(verifier->Verify(early).ok());
}

// The cache is bounded: past its size it starts over, and every token
// still verifies as it should.
TEST_F(JwtVerifierTest, TheTokenCacheIsBounded) {
  JwtVerifierOptions options;
  options.max_cached_tokens = 2;
  auto verifier =
      *JwtVerifier::ForHs256Secret(std::string(kSecret), clock_, options);
  std::vector<std::string> tokens;
  for (int i = 0; i < 5; ++i) {
    tokens.push_back(Hs256(Claims(60 + i)));
  }
  for (int round = 0; round < 3; ++round) {
    for (const std::string& t : tokens) {
      EXPECT_TRUE(verifier->Verify(t).ok());
    }
  }
  EXPECT_FALSE(
      verifier->Verify(Token("{\"alg\":\"HS256\"}", Claims(60), "wrong key"))
          .ok());
}

// Found by fuzz/jwt_verifier_fuzz.cc: exp + skew overflowed int64 (UBSan).
TEST_F(JwtVerifierTest, ExpiryAtTheEndsOfInt64) {
  auto verifier = Verifier();
  const std::string claims =
      "{\"sub\":\"u-1\",\"tenant\":\"acme\","
      "\"role\":\"clerk\",\"exp\":";
  EXPECT_TRUE(verifier->Verify(Hs256(claims + "9223372036854775807}")).ok());
  auto ancient = verifier->Verify(Hs256(claims + "-9223372036854775808}"));
  ASSERT_FALSE(ancient.ok());
  EXPECT_NE(ancient.status().message().find("expired"), std::string::npos);
}

TEST_F(JwtVerifierTest, NotBeforeHonoursTheClockSkew) {
  const int64_t now = clock_.NowMillis() / 1000;
  auto verifier = Verifier();
  EXPECT_TRUE(
      verifier
          ->Verify(Hs256(Claims(600, ",\"nbf\":" + std::to_string(now + 20))))
          .ok());
  auto early = verifier->Verify(
      Hs256(Claims(600, ",\"nbf\":" + std::to_string(now + 120))));
  ASSERT_FALSE(early.ok());
  EXPECT_NE(early.status().message().find("not valid yet"), std::string::npos);
}

TEST_F(JwtVerifierTest, RequiresEveryClaim) {
  const int64_t exp = clock_.NowMillis() / 1000 + 60;
  const std::string e = std::to_string(exp);
  for (const std::string& claims :
       {"{\"tenant\":\"acme\",\"role\":\"clerk\",\"exp\":" + e + "}",
        "{\"sub\":\"u\",\"role\":\"clerk\",\"exp\":" + e + "}",
        "{\"sub\":\"u\",\"tenant\":\"acme\",\"exp\":" + e + "}",
        std::string("{\"sub\":\"u\",\"tenant\":\"acme\",\"role\":\"clerk\"}"),
        "{\"sub\":\"u\",\"tenant\":\"\",\"role\":\"clerk\",\"exp\":" + e + "}",
        "{\"sub\":\"u\",\"tenant\":\"acme\",\"role\":\"root\",\"exp\":" + e +
            "}",
        std::string("{\"sub\":\"u\",\"tenant\":\"acme\",\"role\":\"clerk\","
                    "\"exp\":\"x\"}")}) {
    EXPECT_FALSE(Verifier()->Verify(Hs256(claims)).ok()) << claims;
  }
}

TEST_F(JwtVerifierTest, ExtractsBearerTokens) {
  EXPECT_EQ(*JwtVerifier::BearerToken("Bearer abc.def.ghi"), "abc.def.ghi");
  EXPECT_EQ(*JwtVerifier::BearerToken("bearer  abc "), "abc");
  EXPECT_FALSE(JwtVerifier::BearerToken("Basic dXNlcjpwYXNz").ok());
  EXPECT_FALSE(JwtVerifier::BearerToken("Bearer ").ok());
}

// ---- RS256 ----

struct RsaKeys {
  std::string public_pem;
  std::string private_pem;
};

RsaKeys GenerateRsaKeys() {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  RsaKeys keys;
  BIO* pub = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(pub, key);
  char* data = nullptr;
  long len = BIO_get_mem_data(pub, &data);
  keys.public_pem.assign(data, static_cast<size_t>(len));
  BIO* priv = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(priv, key, nullptr, nullptr, 0, nullptr, nullptr);
  len = BIO_get_mem_data(priv, &data);
  keys.private_pem.assign(data, static_cast<size_t>(len));
  BIO_free(pub);
  BIO_free(priv);
  EVP_PKEY_free(key);
  return keys;
}

std::string Rs256(const std::string& private_pem, int64_t exp) {
  jwt_t* jwt = nullptr;
  jwt_new(&jwt);
  jwt_add_grant(jwt, "sub", "svc");
  jwt_add_grant(jwt, "tenant", "acme");
  jwt_add_grant(jwt, "role", "viewer");
  jwt_add_grant_int(jwt, "exp", static_cast<long>(exp));
  jwt_set_alg(jwt, JWT_ALG_RS256,
              reinterpret_cast<const unsigned char*>(private_pem.data()),
              static_cast<int>(private_pem.size()));
  char* s = jwt_encode_str(jwt);
  std::string token = s ? s : "";
  std::free(s);  // NOLINT: allocated by libjwt with malloc
  jwt_free(jwt);
  return token;
}

TEST_F(JwtVerifierTest, Rs256AcceptsTheKeyPairAndRejectsKeyConfusion) {
  const RsaKeys keys = GenerateRsaKeys();
  const std::string path = ::testing::TempDir() + "/jwt_public.pem";
  std::ofstream(path) << keys.public_pem;
  auto verifier = JwtVerifier::ForRs256PublicKeyFile(path, clock_);
  ASSERT_TRUE(verifier.ok()) << verifier.status();
  const int64_t exp = clock_.NowMillis() / 1000 + 60;

  auto principal = (*verifier)->Verify(Rs256(keys.private_pem, exp));
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(*principal, (Principal{"svc", "acme", Role::kViewer}));

  // An HS256 token "signed" with the public key as the HMAC secret.
  std::string confused =
      Token("{\"alg\":\"HS256\"}",
            "{\"sub\":\"x\",\"tenant\":\"acme\",\"role\":\"admin\",\"exp\":" +
                std::to_string(exp) + "}",
            keys.public_pem);
  EXPECT_FALSE((*verifier)->Verify(confused).ok());

  const RsaKeys other = GenerateRsaKeys();
  EXPECT_FALSE((*verifier)->Verify(Rs256(other.private_pem, exp)).ok());
}

TEST_F(JwtVerifierTest, Rs256RefusesAFileThatIsNotAPublicKey) {
  const std::string path = ::testing::TempDir() + "/not_a_key.pem";
  std::ofstream(path) << "hello";
  EXPECT_FALSE(JwtVerifier::ForRs256PublicKeyFile(path, clock_).ok());
  EXPECT_FALSE(
      JwtVerifier::ForRs256PublicKeyFile(path + ".missing", clock_).ok());
}

TEST(JwtSignerTest, RefusesEmptySecretAndBadInput) {
  core::ManualClock clock;
  EXPECT_FALSE(JwtSigner::ForHs256Secret("", clock).ok());
  auto signer = *JwtSigner::ForHs256Secret("s", clock);
  EXPECT_FALSE(signer->Sign({"", "acme", Role::kAdmin}, seconds(60)).ok());
  EXPECT_FALSE(signer->Sign({"u", "acme", Role::kAdmin}, seconds(0)).ok());
}

}  // namespace
}  // namespace stockpile::api
