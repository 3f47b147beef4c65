// ConfigFile: the settings of a `stockpile.toml` (--config), each with where
// it was written, for ResolveServeConfig (serve_config.h). toml++ parses it;
// its header is included only in config_file.cc.
//
//   ASSIGN_OR_RETURN(ConfigFile file, LoadConfigFile("stockpile.toml"));
//   const ConfigValue* http = file.Find("http");   // nullptr when not set
//
// Keys are top-level (no tables) and named after the serve flags with '_'
// for '-': http, data_dir, store, transport, log_level (strings), demo
// (boolean). Anything else — an unknown key, a table, a value of the wrong
// TOML type, a syntax error — is InvalidArgument "<file>:<line>:<column>:
// ..." naming the key. Example: docs/stockpile.example.toml.
//
// Thread-safety: plain values and pure functions.
#ifndef STOCKPILE_APP_CONFIG_FILE_H_
#define STOCKPILE_APP_CONFIG_FILE_H_

#include <map>
#include <string>
#include <string_view>

#include "core/result.h"

namespace stockpile::app {

struct ConfigValue {
  std::string text;    // a string as written; a boolean as "true"/"false"
  std::string origin;  // "<file>:<line>:<column>: <key>", for messages
};

struct ConfigFile {
  std::string path;
  std::map<std::string, ConfigValue, std::less<>> values;

  const ConfigValue* Find(std::string_view key) const;
};

// `path` only names the file in messages.
core::Result<ConfigFile> ParseConfigFile(std::string_view toml,
                                         const std::string& path);
// NotFound naming the file when it cannot be read.
core::Result<ConfigFile> LoadConfigFile(const std::string& path);

}  // namespace stockpile::app

#endif  // STOCKPILE_APP_CONFIG_FILE_H_
