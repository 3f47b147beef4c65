#include "core/json_value_parser.h"

#include <boost/json/basic_parser_impl.hpp>

namespace stockpile::core::internal {

JsonValueParser::JsonValueParser(const boost::json::parse_options& options)
    : parser_(options) {}

boost::json::error_code JsonValueParser::Parse(std::string_view text) {
  return ParseWhole(parser_, text);
}

}  // namespace stockpile::core::internal
