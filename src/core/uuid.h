// UUIDs: parsing/validation of the 8-4-4-4-12 text form, and a generator of
// time-ordered UUIDv7 (RFC 9562) used for eventIds.
//
// UuidV7Generator guarantees that ids it returns are strictly increasing
// (as 128-bit numbers and as lowercase text), also within one millisecond and
// if the wall clock steps backwards: it keeps a 42-bit counter in rand_a and
// the top of rand_b (RFC 9562 §6.2, method 1), seeded randomly each new
// millisecond, and borrows the next millisecond if the counter overflows.
//
// Thread-safety: UuidV7Generator is safe for concurrent use.
#ifndef STOCKPILE_CORE_UUID_H_
#define STOCKPILE_CORE_UUID_H_

#include <array>
#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"

namespace stockpile::core {

struct Uuid {
  std::array<uint8_t, 16> bytes{};

  // Lowercase "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx".
  std::string ToString() const;
  int version() const { return bytes[6] >> 4; }

  // Accepts upper or lower case hex in the 36-character hyphenated form.
  static Result<Uuid> Parse(std::string_view text);

  // A deterministic name-based UUID (version 8, SHA-256 of namespace + name),
  // used to give foreign ids that are not UUIDs a stable UUID.
  static Uuid FromName(std::string_view name_space, std::string_view name);

  friend bool operator==(const Uuid&, const Uuid&) = default;
  friend auto operator<=>(const Uuid&, const Uuid&) = default;
};

// True when `text` is a hyphenated UUID (any version).
bool IsUuid(std::string_view text);

class UuidV7Generator {
 public:
  // `clock` must outlive the generator.
  explicit UuidV7Generator(const Clock& clock);

  Uuid Next();
  std::string NextString() { return Next().ToString(); }

 private:
  const Clock& clock_;
  std::mutex mu_;
  std::mt19937_64 rng_;   // guarded by mu_
  int64_t last_ms_ = 0;   // guarded by mu_
  uint64_t counter_ = 0;  // guarded by mu_; 42 bits
};

}  // namespace stockpile::core

#endif  // STOCKPILE_CORE_UUID_H_
