#include "core/uuid.h"

#include <openssl/evp.h>

namespace stockpile::core {

namespace {

constexpr char kHex[] = "0123456789abcdef";
constexpr uint64_t kCounterBits = 42;
constexpr uint64_t kCounterMax = (uint64_t{1} << kCounterBits) - 1;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsHyphenAt(size_t i) { return i == 8 || i == 13 || i == 18 || i == 23; }

}  // namespace

std::string Uuid::ToString() const {
  std::string out(36, '-');
  size_t pos = 0;
  for (size_t i = 0; i < 16; ++i) {
    if (IsHyphenAt(pos)) ++pos;
    out[pos++] = kHex[bytes[i] >> 4];
    out[pos++] = kHex[bytes[i] & 0xf];
  }
  return out;
}

Result<Uuid> Uuid::Parse(std::string_view text) {
  if (text.size() != 36) {
    return InvalidArgumentError(
        "bad UUID: expected 36 characters like "
        "'0193a5c2-7b1e-7c3d-8e4f-5a6b7c8d9e0f', got " +
        std::to_string(text.size()));
  }
  Uuid u;
  size_t b = 0;
  for (size_t i = 0; i < 36;) {
    if (IsHyphenAt(i)) {
      if (text[i] != '-') {
        return InvalidArgumentError("bad UUID: expected '-' at offset " +
                                    std::to_string(i));
      }
      ++i;
      continue;
    }
    const int hi = HexValue(text[i]);
    const int lo = HexValue(text[i + 1]);
    if (hi < 0 || lo < 0) {
      return InvalidArgumentError("bad UUID: non-hex character near offset " +
                                  std::to_string(i));
    }
    u.bytes[b++] = static_cast<uint8_t>(hi << 4 | lo);
    i += 2;
  }
  return u;
}

bool IsUuid(std::string_view text) { return Uuid::Parse(text).ok(); }

Uuid Uuid::FromName(std::string_view name_space, std::string_view name) {
  std::string input(name_space);
  input.push_back('\0');
  input.append(name);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int len = 0;
  CHECK(EVP_Digest(input.data(), input.size(), digest.data(), &len,
                   EVP_sha256(), nullptr) == 1)
      << "SHA-256 failed";
  Uuid u;
  for (size_t i = 0; i < 16; ++i) u.bytes[i] = digest[i];
  u.bytes[6] = static_cast<uint8_t>((u.bytes[6] & 0x0f) | 0x80);  // version 8
  u.bytes[8] = static_cast<uint8_t>((u.bytes[8] & 0x3f) | 0x80);  // variant
  return u;
}

UuidV7Generator::UuidV7Generator(const Clock& clock)
    : clock_(clock), rng_(std::random_device{}()) {}

Uuid UuidV7Generator::Next() {
  int64_t ms = 0;
  uint64_t counter = 0;
  uint64_t tail = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    const int64_t now = clock_.NowMillis();
    if (now > last_ms_) {
      last_ms_ = now;
      // Seed with the top bit clear so a burst has room to count upwards.
      counter_ = rng_() & (kCounterMax >> 1);
    } else if (counter_ < kCounterMax) {
      ++counter_;  // same (or earlier) millisecond: stay monotonic
    } else {
      ++last_ms_;  // counter exhausted: borrow the next millisecond
      counter_ = rng_() & (kCounterMax >> 1);
    }
    ms = last_ms_;
    counter = counter_;
    tail = rng_();
  }
  Uuid u;
  const auto ums = static_cast<uint64_t>(ms);
  for (int i = 0; i < 6; ++i) {
    u.bytes[static_cast<size_t>(i)] = static_cast<uint8_t>(ums >> (40 - 8 * i));
  }
  const uint64_t rand_a = counter >> 30;            // top 12 bits
  const uint64_t rand_b_hi = counter & 0x3fffffff;  // low 30 bits
  u.bytes[6] = static_cast<uint8_t>(0x70 | (rand_a >> 8));
  u.bytes[7] = static_cast<uint8_t>(rand_a);
  // rand_b: 2 variant bits, 30 counter bits, 32 random bits.
  const uint64_t rand_b =
      (uint64_t{0b10} << 62) | (rand_b_hi << 32) | (tail & 0xffffffff);
  for (int i = 0; i < 8; ++i) {
    u.bytes[8 + static_cast<size_t>(i)] =
        static_cast<uint8_t>(rand_b >> (56 - 8 * i));
  }
  return u;
}

}  // namespace stockpile::core
