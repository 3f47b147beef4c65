// Lenient field access for folding stored events and snapshots: the store
// only holds events that passed a command's validation, so a missing or
// mistyped field reads as empty / zero rather than failing the load.
//
// Thread-safety: pure functions.
#ifndef STOCKPILE_DOMAIN_COMMON_JSON_FIELDS_H_
#define STOCKPILE_DOMAIN_COMMON_JSON_FIELDS_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>

namespace stockpile::domain::common {

// o[key] as a string, or "" when absent or not a string.
std::string JsonString(const boost::json::object& o, std::string_view key);
// o[key] as an integer, or 0 when absent or not an integer.
int64_t JsonInt(const boost::json::object& o, std::string_view key);
// o[key] as a bool, or false when absent or not a bool.
bool JsonBool(const boost::json::object& o, std::string_view key);

}  // namespace stockpile::domain::common

#endif  // STOCKPILE_DOMAIN_COMMON_JSON_FIELDS_H_
