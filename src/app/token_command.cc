// `stockpile token`: mints a bearer token with the configured secret and
// prints it alone on stdout (DESIGN.md §8).
#include <CLI/CLI.hpp>
#include <iostream>

#include "api/jwt_signer.h"
#include "api/principal.h"
#include "app/commands.h"
#include "app/jwt_secret.h"
#include "core/clock.h"

namespace stockpile::app {

namespace {

struct TokenFlags {
  std::string tenant;
  std::string role;
  std::string sub = "cli";
  int64_t ttl_seconds = 3600;
  std::string data_dir = "./stockpile-data";
};

int RunToken(const TokenFlags& flags) {
  core::Result<api::Role> role = api::ParseRole(flags.role);
  if (!role.ok()) {
    std::cerr << "stockpile token: --role: " << role.status().message() << "\n";
    return 2;
  }
  if (flags.tenant.empty() || flags.sub.empty() || flags.ttl_seconds <= 0) {
    std::cerr << "stockpile token: --tenant and --sub must not be empty and "
                 "--ttl must be positive\n";
    return 2;
  }
  core::Result<std::string> secret =
      LoadJwtSecret(flags.data_dir, ProcessEnvironment(), /*create=*/false);
  if (!secret.ok()) {
    std::cerr << "stockpile token: " << secret.status().message() << "\n";
    return 1;
  }
  core::SystemClock clock;
  auto signer = api::JwtSigner::ForHs256Secret(*secret, clock);
  if (!signer.ok()) {
    std::cerr << "stockpile token: " << signer.status().message() << "\n";
    return 1;
  }
  core::Result<std::string> token =
      (*signer)->Sign({flags.sub, flags.tenant, *role},
                      std::chrono::seconds(flags.ttl_seconds));
  if (!token.ok()) {
    std::cerr << "stockpile token: " << token.status().message() << "\n";
    return 1;
  }
  std::cout << *token << "\n";
  return 0;
}

}  // namespace

void AddTokenCommand(CommandRegistry& commands) {
  CLI::App* cmd = commands.cli().add_subcommand(
      "token", "Mint a bearer token (printed alone on stdout)");
  auto flags = std::make_shared<TokenFlags>();
  cmd->add_option("--tenant", flags->tenant, "tenant id")->required();
  cmd->add_option("--role", flags->role, "admin|manager|clerk|viewer")
      ->required();
  cmd->add_option("--sub", flags->sub, "subject (user id)");
  cmd->add_option("--ttl", flags->ttl_seconds, "lifetime in seconds");
  cmd->add_option("--data-dir", flags->data_dir,
                  "where `serve` keeps the secret (unless "
                  "STOCKPILE_JWT_SECRET is set)");
  cmd->callback(commands.Runner([flags] { return RunToken(*flags); }));
}

}  // namespace stockpile::app
