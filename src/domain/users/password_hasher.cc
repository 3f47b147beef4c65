#include "domain/users/password_hasher.h"

#include <sodium.h>

#include <array>

namespace stockpile::domain::users {

PasswordCost MinimumPasswordCost() {
  return PasswordCost{crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

PasswordHasher::PasswordHasher(PasswordCost cost)
    : opslimit_(cost.opslimit != 0 ? cost.opslimit
                                   : crypto_pwhash_OPSLIMIT_INTERACTIVE),
      memlimit_(cost.memlimit != 0 ? cost.memlimit
                                   : crypto_pwhash_MEMLIMIT_INTERACTIVE) {}

core::Result<std::string> PasswordHasher::Hash(
    std::string_view password) const {
  if (sodium_init() < 0) {
    return core::InternalError("libsodium failed to initialise");
  }
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(),
                            opslimit_, memlimit_,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return core::InternalError("password hashing ran out of memory");
  }
  return std::string(out.data());
}

bool PasswordHasher::Verify(const std::string& hash,
                            std::string_view password) const {
  if (sodium_init() < 0) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(),
                                  password.size()) == 0;
}

}  // namespace stockpile::domain::users
