// ServeConfig: everything `stockpile serve` needs to start, resolved once at
// start-up with the precedence flags > environment > defaults (DESIGN.md §8,
// issue 6). A bad value stops start-up with a message naming the setting.
//
//   STOCKPILE_HTTP         host:port to listen on        (default
//   127.0.0.1:8080) STOCKPILE_DATA_DIR     data directory (default
//   ./stockpile-data) STOCKPILE_STORE        memory | sqlite | postgres://...
//   (default sqlite
//                          file <data-dir>/events.db); DATABASE_URL (the
//                          seeds' variable) is honoured when it is unset
//   STOCKPILE_JWT_SECRET   HS256 signing secret (default: created in the data
//   dir) STOCKPILE_LOG_LEVEL    trace|debug|info|warn|error   (default info)
#ifndef STOCKPILE_APP_SERVE_CONFIG_H_
#define STOCKPILE_APP_SERVE_CONFIG_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/result.h"

namespace stockpile::app {

struct ServeConfig {
  std::string http_host = "127.0.0.1";
  uint16_t http_port = 8080;
  std::string data_dir = "./stockpile-data";
  std::string store = "sqlite";  // "memory", "sqlite" or a postgres:// URL
  std::string log_level = "info";
  // Load the demo catalog (demo_data.h) into tenant "demo" at start.
  bool demo = false;
};

// Values given on the command line; unset ones fall back to the environment.
struct ServeFlags {
  std::optional<std::string> http;
  std::optional<std::string> data_dir;
  std::optional<std::string> store;
  std::optional<std::string> log_level;
  std::optional<bool> demo;
};

// Reads an environment variable; nullopt when unset. Injected for tests.
using Environment =
    std::function<std::optional<std::string>(const std::string& name)>;
Environment ProcessEnvironment();

core::Result<ServeConfig> ResolveServeConfig(const ServeFlags& flags,
                                             const Environment& env);

// Parses "host:port" (port 0-65535). InvalidArgument naming `setting`.
core::Status ParseHostPort(const std::string& text, const std::string& setting,
                           std::string& host, uint16_t& port);

}  // namespace stockpile::app

#endif  // STOCKPILE_APP_SERVE_CONFIG_H_
