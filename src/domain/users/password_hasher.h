// PasswordHasher: Argon2id password hashes with libsodium
// (crypto_pwhash_str / crypto_pwhash_str_verify). A hash is the
// self-describing "$argon2id$v=19$m=...,t=...,p=1$salt$hash" string, so a
// later change of the cost parameters still verifies old hashes.
//
//   PasswordHasher hasher;                      // interactive cost
//   ASSIGN_OR_RETURN(std::string hash, hasher.Hash("correct horse ..."));
//   bool ok = hasher.Verify(hash, "correct horse ...");
//
// Cost: the default is libsodium's INTERACTIVE preset (opslimit 2, memlimit
// 64 MiB), its recommendation for online logins: about 0.1 s and 64 MiB per
// hash on this machine's class of CPU, so a login cannot be brute-forced
// through the API and a stolen hash costs an attacker 64 MiB of memory per
// guess. MODERATE/SENSITIVE (256 MiB / 1 GiB, 0.7 s / 3.5 s) would let a
// handful of concurrent logins exhaust a small server's memory.
//
// Thread-safety: immutable after construction; safe for concurrent use.
#ifndef STOCKPILE_DOMAIN_USERS_PASSWORD_HASHER_H_
#define STOCKPILE_DOMAIN_USERS_PASSWORD_HASHER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace stockpile::domain::users {

struct PasswordCost {
  uint64_t opslimit = 0;  // 0 = crypto_pwhash_OPSLIMIT_INTERACTIVE
  size_t memlimit = 0;    // bytes; 0 = crypto_pwhash_MEMLIMIT_INTERACTIVE
};

// libsodium's minimum cost: still Argon2id, for tests that hash many times.
PasswordCost MinimumPasswordCost();

class PasswordHasher {
 public:
  explicit PasswordHasher(PasswordCost cost = {});

  // Internal when libsodium cannot initialise or runs out of memory.
  core::Result<std::string> Hash(std::string_view password) const;
  // False for a wrong password or a malformed hash.
  bool Verify(const std::string& hash, std::string_view password) const;

 private:
  // Immutable after construction.
  uint64_t opslimit_;
  size_t memlimit_;
};

}  // namespace stockpile::domain::users

#endif  // STOCKPILE_DOMAIN_USERS_PASSWORD_HASHER_H_
