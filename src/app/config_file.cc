#include "app/config_file.h"

#include <toml++/toml.h>

#include <array>
#include <fstream>
#include <sstream>

namespace stockpile::app {

namespace {

enum class Kind { kString, kBoolean };

struct Known {
  std::string_view key;
  Kind kind;
};

constexpr std::array<Known, 10> kKnownKeys = {{{"http", Kind::kString},
                                               {"data_dir", Kind::kString},
                                               {"store", Kind::kString},
                                               {"transport", Kind::kString},
                                               {"services", Kind::kString},
                                               {"log_level", Kind::kString},
                                               {"demo", Kind::kBoolean},
                                               {"retry", Kind::kString},
                                               {"smtp", Kind::kString},
                                               {"alert_email", Kind::kString}}};

std::string Where(const std::string& path, const toml::source_region& source) {
  return path + ":" + std::to_string(source.begin.line) + ":" +
         std::to_string(source.begin.column);
}

std::string KnownList() {
  std::string out;
  for (const Known& k : kKnownKeys) {
    if (!out.empty()) out += ", ";
    out += k.key;
  }
  return out;
}

}  // namespace

const ConfigValue* ConfigFile::Find(std::string_view key) const {
  auto it = values.find(key);
  return it == values.end() ? nullptr : &it->second;
}

core::Result<ConfigFile> ParseConfigFile(std::string_view toml_text,
                                         const std::string& path) {
  toml::table table;
  try {
    table = toml::parse(toml_text, path);
  } catch (const toml::parse_error& e) {
    return core::InvalidArgumentError(Where(path, e.source()) + ": " +
                                      std::string(e.description()));
  }
  ConfigFile file{.path = path, .values = {}};
  for (const auto& [key, node] : table) {
    const std::string name(key.str());
    const std::string where = Where(path, key.source()) + ": " + name;
    const Known* known = nullptr;
    for (const Known& k : kKnownKeys) {
      if (k.key == name) known = &k;
    }
    if (known == nullptr) {
      return core::InvalidArgumentError(
          where + ": unknown setting (known: " + KnownList() + ")");
    }
    const std::string value_where = Where(path, node.source()) + ": " + name;
    ConfigValue value{.text = "", .origin = value_where};
    if (known->kind == Kind::kString) {
      const auto* s = node.as_string();
      if (s == nullptr) {
        return core::InvalidArgumentError(value_where +
                                          " must be a string in quotes");
      }
      value.text = s->get();
    } else {
      const auto* b = node.as_boolean();
      if (b == nullptr) {
        return core::InvalidArgumentError(value_where +
                                          " must be true or false");
      }
      value.text = b->get() ? "true" : "false";
    }
    file.values.emplace(name, std::move(value));
  }
  return file;
}

core::Result<ConfigFile> LoadConfigFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return core::NotFoundError("cannot read the config file " + path);
  }
  std::stringstream text;
  text << in.rdbuf();
  return ParseConfigFile(text.str(), path);
}

}  // namespace stockpile::app
