#include "app/serve_config.h"

#include <charconv>
#include <cstdlib>

#include "core/status_macros.h"
#include "obs/log_level.h"

namespace stockpile::app {

Environment ProcessEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value =
        std::getenv(name.c_str());  // NOLINT(concurrency-mt-unsafe)
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

core::Status ParseHostPort(const std::string& text, const std::string& setting,
                           std::string& host, uint16_t& port) {
  const size_t colon = text.rfind(':');
  auto bad = [&](const std::string& why) {
    return core::InvalidArgumentError(setting + " '" + text + "': " + why);
  };
  if (colon == std::string::npos || colon == 0) {
    return bad("expected host:port, e.g. 127.0.0.1:8080");
  }
  unsigned value = 0;
  const char* begin = text.data() + colon + 1;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (begin == end || ec != std::errc() || ptr != end || value > 65535) {
    return bad("port must be a number from 0 to 65535");
  }
  host = text.substr(0, colon);
  port = static_cast<uint16_t>(value);
  return core::Status::Ok();
}

core::Result<ServeConfig> ResolveServeConfig(const ServeFlags& flags,
                                             const Environment& env) {
  ServeConfig config;
  auto pick = [&](const std::optional<std::string>& flag,
                  std::initializer_list<const char*> vars)
      -> std::optional<std::pair<std::string, std::string>> {
    if (flag) return std::make_pair(*flag, std::string("--flag"));
    for (const char* var : vars) {
      if (auto value = env(var))
        return std::make_pair(*value, std::string(var));
    }
    return std::nullopt;
  };
  if (auto http = pick(flags.http, {"STOCKPILE_HTTP"})) {
    const std::string setting =
        http->second == "--flag" ? "--http" : http->second;
    RETURN_IF_ERROR(ParseHostPort(http->first, setting, config.http_host,
                                  config.http_port));
  }
  if (auto dir = pick(flags.data_dir, {"STOCKPILE_DATA_DIR"})) {
    if (dir->first.empty()) {
      return core::InvalidArgumentError("data directory must not be empty");
    }
    config.data_dir = dir->first;
  }
  if (auto store = pick(flags.store, {"STOCKPILE_STORE", "DATABASE_URL"})) {
    const std::string& s = store->first;
    if (s != "memory" && s != "sqlite" && s.rfind("postgres://", 0) != 0 &&
        s.rfind("postgresql://", 0) != 0) {
      const std::string setting =
          store->second == "--flag" ? "--store" : store->second;
      return core::InvalidArgumentError(
          setting + " '" + s +
          "': expected memory, sqlite or a postgres://user:pass@host:port/db "
          "URL");
    }
    config.store = s;
  }
  if (auto level = pick(flags.log_level, {"STOCKPILE_LOG_LEVEL"})) {
    RETURN_IF_ERROR(obs::ParseLogLevel(level->first)
                        .status()
                        .WithContext(level->second == "--flag"
                                         ? "--log-level"
                                         : level->second));
    config.log_level = level->first;
  }
  if (auto demo = pick(flags.demo ? std::optional<std::string>(
                                        *flags.demo ? "true" : "false")
                                  : std::nullopt,
                       {"STOCKPILE_DEMO"})) {
    if (demo->first == "true" || demo->first == "1") {
      config.demo = true;
    } else if (demo->first == "false" || demo->first == "0") {
      config.demo = false;
    } else {
      return core::InvalidArgumentError(demo->second + " '" + demo->first +
                                        "': expected true or false");
    }
  }
  return config;
}

}  // namespace stockpile::app
