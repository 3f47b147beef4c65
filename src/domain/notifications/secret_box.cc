#include "domain/notifications/secret_box.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <memory>
#include <vector>

#include "core/check.h"

namespace stockpile::domain::notifications {
namespace {

constexpr std::string_view kLabel = "stockpile webhook secrets v1";
constexpr std::string_view kPrefix = "v1:";
constexpr int kNonce = 12;
constexpr int kTag = 16;

std::string Hex(const unsigned char* data, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kDigits[data[i] >> 4]);
    out.push_back(kDigits[data[i] & 0xf]);
  }
  return out;
}

bool Unhex(std::string_view hex, std::vector<unsigned char>& out) {
  if (hex.size() % 2 != 0) return false;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  out.clear();
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int hi = nibble(hex[i]);
    const int lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out.push_back(static_cast<unsigned char>(hi * 16 + lo));
  }
  return true;
}

using CipherCtx =
    std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

}  // namespace

SecretBox::SecretBox(std::string_view key_material) {
  unsigned int len = 0;
  HMAC(EVP_sha256(), key_material.data(), static_cast<int>(key_material.size()),
       reinterpret_cast<const unsigned char*>(kLabel.data()), kLabel.size(),
       key_.data(), &len);
  CHECK(len == key_.size());
}

std::string SecretBox::Seal(std::string_view plaintext) const {
  std::vector<unsigned char> out(kNonce + plaintext.size() + kTag);
  CHECK(RAND_bytes(out.data(), kNonce) == 1);
  CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  CHECK(ctx != nullptr);
  int len = 0;
  CHECK(EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(),
                           out.data()) == 1);
  CHECK(EVP_EncryptUpdate(
            ctx.get(), out.data() + kNonce, &len,
            reinterpret_cast<const unsigned char*>(plaintext.data()),
            static_cast<int>(plaintext.size())) == 1);
  CHECK(EVP_EncryptFinal_ex(ctx.get(), out.data() + kNonce + len, &len) == 1);
  CHECK(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTag,
                            out.data() + kNonce + plaintext.size()) == 1);
  return std::string(kPrefix) + Hex(out.data(), out.size());
}

core::Result<std::string> SecretBox::Open(std::string_view sealed) const {
  std::vector<unsigned char> raw;
  if (!sealed.starts_with(kPrefix) ||
      !Unhex(sealed.substr(kPrefix.size()), raw) ||
      raw.size() < static_cast<size_t>(kNonce) + kTag) {
    return core::InvalidArgumentError("not a sealed secret");
  }
  const int n = static_cast<int>(raw.size()) - kNonce - kTag;
  std::string plain(static_cast<size_t>(n), '\0');
  CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  CHECK(ctx != nullptr);
  int len = 0;
  bool ok = EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr,
                               key_.data(), raw.data()) == 1 &&
            EVP_DecryptUpdate(ctx.get(),
                              reinterpret_cast<unsigned char*>(plain.data()),
                              &len, raw.data() + kNonce, n) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTag,
                                raw.data() + kNonce + n) == 1;
  int final_len = 0;
  ok = ok &&
       EVP_DecryptFinal_ex(ctx.get(),
                           reinterpret_cast<unsigned char*>(plain.data()) + len,
                           &final_len) == 1;
  if (!ok) {
    return core::FailedPreconditionError(
        "the secret was sealed with another signing secret (was "
        "STOCKPILE_JWT_SECRET changed?); register the webhook again");
  }
  return plain;
}

std::string WebhookSignature(std::string_view secret, std::string_view body) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(),
       digest.data(), &len);
  return "sha256=" + Hex(digest.data(), len);
}

}  // namespace stockpile::domain::notifications
