// JsonValueParser: boost::json::parser with exact doubles (see
// exact_double.h). Builds a whole boost::json::value, for documents that
// are not event envelopes: CloudEvents, HTTP bodies, JWT parts, snapshots.
//
//   JsonValueParser parser(options);
//   boost::json::error_code ec = parser.Parse(text);
//   if (!ec) boost::json::value v = parser.Release();
//
// Thread-safety: one parse at a time.
#ifndef STOCKPILE_CORE_JSON_VALUE_PARSER_H_
#define STOCKPILE_CORE_JSON_VALUE_PARSER_H_

#include <boost/json/array.hpp>
#include <boost/json/basic_parser.hpp>
#include <boost/json/error.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_stack.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/exact_double.h"

namespace stockpile::core::internal {

// The basic_parser handler: boost::json's own, but for on_double.
class JsonValueHandler {
 public:
  static constexpr size_t max_object_size = boost::json::object::max_size();
  static constexpr size_t max_array_size = boost::json::array::max_size();
  static constexpr size_t max_key_size = boost::json::string::max_size();
  static constexpr size_t max_string_size = boost::json::string::max_size();

  void Reset() {
    stack_.reset();
    number_.Clear();
  }
  boost::json::value Release() { return stack_.release(); }

  bool on_document_begin(boost::json::error_code&) { return true; }
  bool on_document_end(boost::json::error_code&) { return true; }
  bool on_object_begin(boost::json::error_code&) { return true; }
  bool on_object_end(size_t n, boost::json::error_code&) {
    stack_.push_object(n);
    return true;
  }
  bool on_array_begin(boost::json::error_code&) { return true; }
  bool on_array_end(size_t n, boost::json::error_code&) {
    stack_.push_array(n);
    return true;
  }
  bool on_key_part(std::string_view s, size_t, boost::json::error_code&) {
    stack_.push_chars(s);
    return true;
  }
  bool on_key(std::string_view s, size_t, boost::json::error_code&) {
    stack_.push_key(s);
    return true;
  }
  bool on_string_part(std::string_view s, size_t, boost::json::error_code&) {
    stack_.push_chars(s);
    return true;
  }
  bool on_string(std::string_view s, size_t, boost::json::error_code&) {
    stack_.push_string(s);
    return true;
  }
  bool on_number_part(std::string_view s, boost::json::error_code&) {
    number_.Append(s);
    return true;
  }
  bool on_int64(int64_t i, std::string_view, boost::json::error_code&) {
    number_.Clear();
    stack_.push_int64(i);
    return true;
  }
  bool on_uint64(uint64_t u, std::string_view, boost::json::error_code&) {
    number_.Clear();
    stack_.push_uint64(u);
    return true;
  }
  bool on_double(double d, std::string_view s, boost::json::error_code& ec) {
    std::optional<double> exact = number_.Finish(s, d);
    if (!exact) {
      ec = boost::json::error::exponent_overflow;
      return false;
    }
    stack_.push_double(*exact);
    return true;
  }
  bool on_bool(bool b, boost::json::error_code&) {
    stack_.push_bool(b);
    return true;
  }
  bool on_null(boost::json::error_code&) {
    stack_.push_null();
    return true;
  }
  bool on_comment_part(std::string_view, boost::json::error_code&) {
    return true;
  }
  bool on_comment(std::string_view, boost::json::error_code&) { return true; }

 private:
  boost::json::value_stack stack_;
  NumberText number_;
};

// Resets `parser` and its handler, then parses all of `text` as one
// document. For use in a .cc that includes boost/json/basic_parser_impl.hpp.
template <class Handler>
boost::json::error_code ParseWhole(boost::json::basic_parser<Handler>& parser,
                                   std::string_view text) {
  parser.handler().Reset();
  parser.reset();
  boost::json::error_code ec;
  size_t n = parser.write_some(false, text.data(), text.size(), ec);
  if (!ec && n < text.size()) ec = boost::json::error::extra_data;
  return ec;
}

class JsonValueParser {
 public:
  explicit JsonValueParser(const boost::json::parse_options& options);

  // Parses all of `text`. Errors are boost::json's (syntax, too_deep,
  // extra_data, ...).
  boost::json::error_code Parse(std::string_view text);

  // The parsed value, after a successful Parse.
  boost::json::value Release() { return parser_.handler().Release(); }

 private:
  boost::json::basic_parser<JsonValueHandler> parser_;
};

}  // namespace stockpile::core::internal

#endif  // STOCKPILE_CORE_JSON_VALUE_PARSER_H_
