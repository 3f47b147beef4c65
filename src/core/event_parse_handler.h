// EventParseHandler: the boost::json::basic_parser handler behind
// EventDecoder. It reads an event's JSON in one pass without building a DOM
// of the envelope: top-level fields are captured into reused buffers
// (FieldValue), and only `payload` and `metadata` are built as
// boost::json::objects, directly in heap storage, so the decoded event owns
// them with no copy. Validation happens afterwards (event_codec.cc), with
// the same rules and messages as for a parsed document (EventFromJson).
//
// Duplicate top-level keys: the last one wins, as in boost::json::parser.
//
// Internal to the codec (used by event_codec.cc only).
//
// Thread-safety: one parse at a time; owned by one EventDecoder.
#ifndef STOCKPILE_CORE_EVENT_PARSE_HANDLER_H_
#define STOCKPILE_CORE_EVENT_PARSE_HANDLER_H_

#include <boost/json/array.hpp>
#include <boost/json/basic_parser.hpp>
#include <boost/json/kind.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <boost/json/value_stack.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/exact_double.h"

namespace stockpile::core::internal {

// The top-level fields of the envelope, as indices into field arrays.
enum Field {
  kEventId,
  kEventType,
  kAggregateType,
  kAggregateId,
  kTenantId,
  kTimestamp,
  kVersion,
  kStreamVersion,
  kPosition,
  kPayload,
  kMetadata,
  kFieldCount,  // also "not an envelope field"
};

// The Field named `key`, or kFieldCount for a key outside the envelope.
// Dispatching on the length first keeps this to one to three comparisons.
inline Field EnvelopeField(std::string_view key) {
  switch (key.size()) {
    case 7:
      if (key == "eventId") return kEventId;
      if (key == "version") return kVersion;
      if (key == "payload") return kPayload;
      break;
    case 8:
      if (key == "tenantId") return kTenantId;
      if (key == "position") return kPosition;
      if (key == "metadata") return kMetadata;
      break;
    case 9:
      if (key == "eventType") return kEventType;
      if (key == "timestamp") return kTimestamp;
      break;
    case 11:
      if (key == "aggregateId") return kAggregateId;
      break;
    case 13:
      if (key == "aggregateType") return kAggregateType;
      if (key == "streamVersion") return kStreamVersion;
      break;
    default:
      break;
  }
  return kFieldCount;
}

// One top-level field as the validator sees it. `str` views memory owned by
// whoever filled it (the handler's buffers or a parsed document).
struct FieldValue {
  bool present = false;
  boost::json::kind kind = boost::json::kind::null;
  std::string_view str;  // kind::string
  int64_t i = 0;         // kind::int64
  uint64_t u = 0;        // kind::uint64
};

class EventParseHandler {
 public:
  static constexpr size_t max_object_size = boost::json::object::max_size();
  static constexpr size_t max_array_size = boost::json::array::max_size();
  static constexpr size_t max_key_size = boost::json::string::max_size();
  static constexpr size_t max_string_size = boost::json::string::max_size();

  // Forgets the previous document; buffers keep their capacity.
  void Reset();

  // Results, valid after a successful parse until the next Reset.
  bool root_object() const { return root_object_; }
  bool has_unknown() const { return has_unknown_; }
  const std::string& first_unknown() const { return first_unknown_; }
  const FieldValue* fields() const { return fields_; }
  boost::json::object& payload() { return payload_; }
  boost::json::object& metadata() { return metadata_; }

  // The basic_parser handler interface (see boost/json/basic_parser.hpp).
  bool on_document_begin(boost::json::error_code&) { return true; }
  bool on_document_end(boost::json::error_code&) { return true; }
  bool on_object_begin(boost::json::error_code&);
  bool on_object_end(size_t n, boost::json::error_code&);
  bool on_array_begin(boost::json::error_code&);
  bool on_array_end(size_t n, boost::json::error_code&);
  bool on_key_part(std::string_view s, size_t, boost::json::error_code&);
  bool on_key(std::string_view s, size_t, boost::json::error_code&);
  bool on_string_part(std::string_view s, size_t, boost::json::error_code&);
  bool on_string(std::string_view s, size_t, boost::json::error_code&);
  bool on_number_part(std::string_view s, boost::json::error_code&) {
    number_.Append(s);
    return true;
  }
  bool on_int64(int64_t i, std::string_view, boost::json::error_code&);
  bool on_uint64(uint64_t u, std::string_view, boost::json::error_code&);
  bool on_double(double d, std::string_view s, boost::json::error_code&);
  bool on_bool(bool b, boost::json::error_code&);
  bool on_null(boost::json::error_code&);
  bool on_comment_part(std::string_view, boost::json::error_code&) {
    return true;
  }
  bool on_comment(std::string_view, boost::json::error_code&) { return true; }

 private:
  // Notes the root value's kind on the first value of the document; true
  // while the root is an object (the only case anything is recorded).
  bool Root(bool is_object);
  // Records the current top-level field as present with `kind` (the last
  // occurrence of a duplicate key wins).
  FieldValue& Set(boost::json::kind kind);
  // Set(kind) when a scalar token is a top-level field's value, else null.
  FieldValue* TopLevel(boost::json::kind kind);

  size_t depth_ = 0;  // 1 = inside the root object
  bool root_seen_ = false;
  bool root_object_ = false;
  bool building_ = false;  // inside payload/metadata: feeding stack_
  bool has_unknown_ = false;
  Field cur_ = kFieldCount;  // the top-level field being read
  std::string key_;          // a top-level key arriving in parts
  std::string part_;         // a top-level string arriving in parts
  std::string first_unknown_;
  NumberText number_;                     // a number arriving in parts
  FieldValue fields_[kFieldCount + 1];    // [kFieldCount]: unknown fields
  std::string strings_[kFieldCount + 1];  // backing FieldValue::str
  boost::json::value_stack stack_;
  boost::json::object payload_;
  boost::json::object metadata_;
};

// A reusable parser of whole event documents into an EventParseHandler.
// The token callbacks are compiled in the same file as the parser, so they
// inline into it.
class EventParser {
 public:
  explicit EventParser(const boost::json::parse_options& options);

  // Parses all of `text`; on success handler() holds the results. Errors
  // are boost::json's (syntax, too_deep, extra_data, ...).
  boost::json::error_code Parse(std::string_view text);

  EventParseHandler& handler() { return parser_.handler(); }

 private:
  boost::json::basic_parser<EventParseHandler> parser_;
};

}  // namespace stockpile::core::internal

#endif  // STOCKPILE_CORE_EVENT_PARSE_HANDLER_H_
