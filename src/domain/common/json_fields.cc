#include "domain/common/json_fields.h"

namespace stockpile::domain::common {

std::string JsonString(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) return {};
  return std::string(v->get_string());
}

int64_t JsonInt(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  if (v == nullptr) return 0;
  if (const int64_t* i = v->if_int64()) return *i;
  if (const uint64_t* u = v->if_uint64()) {
    return *u > static_cast<uint64_t>(INT64_MAX) ? 0 : static_cast<int64_t>(*u);
  }
  return 0;
}

bool JsonBool(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  return v != nullptr && v->is_bool() && v->get_bool();
}

}  // namespace stockpile::domain::common
