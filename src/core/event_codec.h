// The JSON wire and storage form of an Event (DESIGN.md §2), with the exact
// field names of the standard envelope.
//
//   std::string text = EncodeEvent(event);
//   Result<EventPtr> back = DecodeEvent(text);   // == event
//
// Decoding is strict and says precisely what is wrong: missing or empty
// eventType, a bad UUID, a bad timestamp, a payload that is not an object,
// fields of the wrong JSON type, unknown top-level fields, a document over
// the size limit, nesting deeper than the limit, invalid UTF-8.
//
// Thread-safety: the free functions are thread-safe. An EventDecoder reuses
// its parser's memory between calls and must be used by one thread at a time.
#ifndef STOCKPILE_CORE_EVENT_CODEC_H_
#define STOCKPILE_CORE_EVENT_CODEC_H_

#include <boost/json/fwd.hpp>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "core/event.h"
#include "core/result.h"

namespace stockpile::core {

struct CodecLimits {
  size_t max_bytes = 1 << 20;  // whole document, default 1 MiB
  size_t max_depth = 32;       // JSON nesting, the envelope itself included
  // When false, a top-level field that is not part of the envelope is an
  // error (catches "eventtype" typos); when true it is ignored.
  bool allow_unknown_fields = false;
};

// For JSON the store wrote itself (snapshots, stored payloads): no size
// limit, the nesting limit of boost::json::parse.
inline constexpr CodecLimits kStoredJsonLimits{
    .max_bytes = static_cast<size_t>(-1), .max_depth = 32};

// Appends the JSON of `event` to `out`. Unassigned streamVersion / position
// (0) are left out.
void AppendEncodedEvent(const Event& event, std::string& out);
std::string EncodeEvent(const Event& event);

// The envelope as a JSON object (for embedding in HTTP responses).
boost::json::object EventToJson(const Event& event);

// Builds an Event from an already parsed JSON object, validating it.
Result<Event> EventFromJson(const boost::json::object& object,
                            const CodecLimits& limits = {});

Result<EventPtr> DecodeEvent(std::string_view text,
                             const CodecLimits& limits = {});

// Parses JSON text within `limits` (size, depth, UTF-8), for callers that
// then map the document themselves (CloudEvents, HTTP bodies).
Result<boost::json::value> ParseJson(std::string_view text,
                                     const CodecLimits& limits = {});

// ParseJson for many documents in a row: keeps the parser's buffers
// between calls instead of allocating them for every document (the store's
// read path parses payload and metadata of every row). The parsed values
// own their memory (the default resource) and may outlive the parser.
// One parse at a time.
class JsonParser {
 public:
  explicit JsonParser(CodecLimits limits = {});
  ~JsonParser();
  JsonParser(const JsonParser&) = delete;
  JsonParser& operator=(const JsonParser&) = delete;

  // As ParseJson(text, limits).
  Result<boost::json::value> Parse(std::string_view text);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A decoder that keeps its parse buffers between calls (faster for streams
// of events: the store's read path, the transport's consumer).
class EventDecoder {
 public:
  explicit EventDecoder(CodecLimits limits = {});
  ~EventDecoder();
  EventDecoder(const EventDecoder&) = delete;
  EventDecoder& operator=(const EventDecoder&) = delete;

  // The decoded event owns all its memory: it may outlive the decoder and
  // be copied and shared freely.
  Result<EventPtr> Decode(std::string_view text);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace stockpile::core

#endif  // STOCKPILE_CORE_EVENT_CODEC_H_
