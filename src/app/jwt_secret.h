// The HS256 secret that signs and verifies bearer tokens (DESIGN.md §8):
// STOCKPILE_JWT_SECRET when set, else the file <data-dir>/jwt-secret, which
// `serve` creates (32 random bytes, hex, mode 0600) on first start and
// `stockpile token --data-dir` reads.
#ifndef STOCKPILE_APP_JWT_SECRET_H_
#define STOCKPILE_APP_JWT_SECRET_H_

#include <string>

#include "app/serve_config.h"
#include "core/result.h"

namespace stockpile::app {

// The secret in <data_dir>/<name>; when absent and `create`, a new one (32
// random bytes as 64 hex digits, mode 0600), else NotFound.
core::Result<std::string> LoadOrCreateSecretFile(const std::string& data_dir,
                                                 const std::string& name,
                                                 bool create);

// `create`: make the file when absent (serve); otherwise NotFound (token).
core::Result<std::string> LoadJwtSecret(const std::string& data_dir,
                                        const Environment& env, bool create);

}  // namespace stockpile::app

#endif  // STOCKPILE_APP_JWT_SECRET_H_
