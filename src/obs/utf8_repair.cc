#include "obs/utf8_repair.h"

#include "core/json_text.h"

namespace stockpile::obs {

std::string_view RepairUtf8(std::string_view s, std::string& storage) {
  size_t bad = core::FindInvalidUtf8(s);
  if (bad == std::string_view::npos) return s;
  storage.clear();
  while (bad != std::string_view::npos) {
    storage.append(s.substr(0, bad));
    storage += "\xEF\xBF\xBD";  // U+FFFD
    s.remove_prefix(bad + 1);
    bad = core::FindInvalidUtf8(s);
  }
  storage.append(s);
  return storage;
}

}  // namespace stockpile::obs
