// Low-level helpers for writing JSON text quickly, shared by the codecs.
#ifndef STOCKPILE_CORE_JSON_TEXT_H_
#define STOCKPILE_CORE_JSON_TEXT_H_

#include <boost/json/fwd.hpp>
#include <cstddef>
#include <string>
#include <string_view>

namespace stockpile::core {

// Appends `s` as a quoted JSON string. `s` is assumed to be valid UTF-8;
// control characters, '"' and '\\' are escaped.
void AppendJsonString(std::string_view s, std::string& out);

// Appends the serialized form of `v`.
void AppendJsonValue(const boost::json::value& v, std::string& out);
void AppendJsonObject(const boost::json::object& o, std::string& out);

// Returns the offset of the first byte that is not part of valid UTF-8, or
// npos when `s` is entirely valid.
size_t FindInvalidUtf8(std::string_view s);

}  // namespace stockpile::core

#endif  // STOCKPILE_CORE_JSON_TEXT_H_
