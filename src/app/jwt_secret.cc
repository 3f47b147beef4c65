#include "app/jwt_secret.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace stockpile::app {

namespace {

constexpr char kSecretFile[] = "jwt-secret";

core::Result<std::string> NewSecret() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    return core::InternalError("could not draw random bytes for the secret");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char b : bytes) {
    hex.push_back(kHex[b >> 4]);
    hex.push_back(kHex[b & 0xf]);
  }
  return hex;
}

}  // namespace

core::Result<std::string> LoadOrCreateSecretFile(const std::string& data_dir,
                                                 const std::string& name,
                                                 bool create) {
  const std::filesystem::path path = std::filesystem::path(data_dir) / name;
  std::ifstream in(path);
  if (in) {
    std::stringstream text;
    text << in.rdbuf();
    std::string secret = text.str();
    while (!secret.empty() &&
           (secret.back() == '\n' || secret.back() == '\r')) {
      secret.pop_back();
    }
    if (secret.empty()) {
      return core::FailedPreconditionError(path.string() + " is empty");
    }
    return secret;
  }
  if (!create) return core::NotFoundError(path.string() + " is missing");
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) {
    return core::UnavailableError("cannot create data directory " + data_dir +
                                  ": " + ec.message());
  }
  core::Result<std::string> secret = NewSecret();
  if (!secret.ok()) return secret.status();
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    return core::UnavailableError("cannot create " + path.string() + ": " +
                                  std::strerror(errno));  // NOLINT
  }
  const std::string line = *secret + "\n";
  const bool written = ::write(fd, line.data(), line.size()) ==
                           static_cast<ssize_t>(line.size()) &&
                       ::fsync(fd) == 0;
  ::close(fd);
  if (!written) {
    return core::UnavailableError("cannot write " + path.string());
  }
  return secret;
}

core::Result<std::string> LoadJwtSecret(const std::string& data_dir,
                                        const Environment& env, bool create) {
  if (auto secret = env("STOCKPILE_JWT_SECRET")) {
    if (secret->empty()) {
      return core::InvalidArgumentError("STOCKPILE_JWT_SECRET is empty");
    }
    return *secret;
  }
  core::Result<std::string> secret =
      LoadOrCreateSecretFile(data_dir, kSecretFile, create);
  if (secret.status().code() == core::StatusCode::kNotFound) {
    return core::NotFoundError(
        "no token secret: set STOCKPILE_JWT_SECRET or point --data-dir at a "
        "directory where `stockpile serve` has run (" +
        secret.status().message() + ")");
  }
  return secret;
}

}  // namespace stockpile::app
