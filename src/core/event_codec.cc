#include "core/event_codec.h"

#include <boost/json/parse_options.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <string>
#include <utility>

#include "core/event_parse_handler.h"
#include "core/json_text.h"
#include "core/json_value_parser.h"
#include "core/status_macros.h"
#include "core/time_format.h"
#include "core/topic_pattern.h"

namespace stockpile::core {

namespace {

using internal::EnvelopeField;
using internal::Field;
using internal::FieldValue;
using enum internal::Field;

constexpr size_t kMaxIdLength = 255;

Status FieldError(std::string_view field, std::string_view why) {
  std::string msg = "field '";
  msg += field;
  msg += "' ";
  msg += why;
  return InvalidArgumentError(msg);
}

// Reads a required (or optional) non-empty string field.
Status ReadStringView(const FieldValue& v, std::string_view field,
                      bool required, std::string_view& out) {
  if (!v.present) {
    return required ? FieldError(field, "is missing") : Status::Ok();
  }
  if (v.kind != boost::json::kind::string) {
    return FieldError(field, "must be a string");
  }
  if (v.str.empty()) return FieldError(field, "must not be empty");
  if (v.str.size() > kMaxIdLength) {
    return FieldError(field, "is longer than 255 characters");
  }
  out = v.str;
  return Status::Ok();
}

Status ReadString(const FieldValue& v, std::string_view field, bool required,
                  std::string& out) {
  std::string_view view;
  RETURN_IF_ERROR(ReadStringView(v, field, required, view));
  if (!view.empty()) out.assign(view);
  return Status::Ok();
}

Status ReadInt(const FieldValue& v, std::string_view field, int64_t min,
               int64_t max, int64_t& out) {
  if (!v.present) return Status::Ok();
  if (v.kind == boost::json::kind::int64) {
    out = v.i;
  } else if (v.kind == boost::json::kind::uint64) {
    if (v.u > static_cast<uint64_t>(max)) {
      return FieldError(field, "is out of range");
    }
    out = static_cast<int64_t>(v.u);
  } else {
    return FieldError(field, "must be an integer");
  }
  if (out < min || out > max) return FieldError(field, "is out of range");
  return Status::Ok();
}

FieldValue FieldValueOf(const boost::json::value& v) {
  FieldValue f;
  f.present = true;
  f.kind = v.kind();
  if (const boost::json::string* s = v.if_string()) f.str = *s;
  if (const int64_t* i = v.if_int64()) f.i = *i;
  if (const uint64_t* u = v.if_uint64()) f.u = *u;
  return f;
}

Status UnknownFieldError(std::string_view key) {
  return InvalidArgumentError("unknown top-level field '" +
                              std::string(key.substr(0, 64)) + "'");
}

// Fills the envelope of `e` from `f` (indexed by Field) and checks the
// kinds of payload and metadata; the caller then sets those two and calls
// CheckMetadata. The order of the checks fixes which error a document with
// several problems gets.
Status ReadEnvelope(const FieldValue* f, Event& e) {
  RETURN_IF_ERROR(ReadString(f[kEventId], "eventId", true, e.event_id));
  if (Status s = Uuid::Parse(e.event_id).status(); !s.ok()) {
    return s.WithContext("field 'eventId'");
  }
  RETURN_IF_ERROR(ReadString(f[kEventType], "eventType", true, e.event_type));
  RETURN_IF_ERROR(
      ValidateRoutingKey(e.event_type).WithContext("field 'eventType'"));
  RETURN_IF_ERROR(
      ReadString(f[kAggregateType], "aggregateType", true, e.aggregate_type));
  RETURN_IF_ERROR(
      ReadString(f[kAggregateId], "aggregateId", true, e.aggregate_id));
  RETURN_IF_ERROR(ReadString(f[kTenantId], "tenantId", true, e.tenant_id));
  std::string_view ts;
  RETURN_IF_ERROR(ReadStringView(f[kTimestamp], "timestamp", true, ts));
  Result<int64_t> ts_ms = ParseRfc3339Millis(ts);
  if (!ts_ms.ok()) return ts_ms.status().WithContext("field 'timestamp'");
  e.timestamp_ms = *ts_ms;
  int64_t version = 1;
  RETURN_IF_ERROR(ReadInt(f[kVersion], "version", 1, 1'000'000, version));
  e.version = static_cast<int>(version);
  RETURN_IF_ERROR(ReadInt(f[kStreamVersion], "streamVersion", 0, INT64_MAX,
                          e.stream_version));
  RETURN_IF_ERROR(ReadInt(f[kPosition], "position", 0, INT64_MAX, e.position));
  if (!f[kPayload].present) return FieldError("payload", "is missing");
  if (f[kPayload].kind != boost::json::kind::object) {
    return FieldError("payload", "must be a JSON object");
  }
  if (f[kMetadata].present && f[kMetadata].kind != boost::json::kind::object &&
      f[kMetadata].kind != boost::json::kind::null) {
    return FieldError("metadata", "must be a JSON object");
  }
  return Status::Ok();
}

Status CheckMetadata(const Event& e) {
  for (std::string_view key : {kMetaCorrelationId, kMetaCausationId}) {
    if (const auto* v = e.metadata.if_contains(key);
        v != nullptr && !v->is_string()) {
      return FieldError("metadata." + std::string(key), "must be a string");
    }
  }
  return Status::Ok();
}

// EventFromJson's path: payload and metadata are copied into default (heap)
// storage, so the event owns plain objects whatever memory `o` lives in.
Result<Event> BuildEvent(const boost::json::object& o,
                         const CodecLimits& limits) {
  FieldValue f[kFieldCount + 1];
  const boost::json::value* bodies[kFieldCount + 1] = {};
  for (const auto& kv : o) {  // keys are unique in a boost::json object
    Field field = EnvelopeField(kv.key());
    if (field == kFieldCount && !limits.allow_unknown_fields) {
      return UnknownFieldError(kv.key());
    }
    f[field] = FieldValueOf(kv.value());
    bodies[field] = &kv.value();
  }
  Event e;
  RETURN_IF_ERROR(ReadEnvelope(f, e));
  e.payload = bodies[kPayload]->get_object();
  if (f[kMetadata].present && f[kMetadata].kind == boost::json::kind::object) {
    e.metadata = bodies[kMetadata]->get_object();
  }
  RETURN_IF_ERROR(CheckMetadata(e));
  return e;
}

Status ParseError(std::string_view text, const boost::system::error_code& ec,
                  const CodecLimits& limits) {
  if (ec == boost::json::error::too_deep) {
    return InvalidArgumentError("JSON nesting deeper than " +
                                std::to_string(limits.max_depth) + " levels");
  }
  if (ec == boost::json::error::exponent_overflow) {
    return InvalidArgumentError("JSON number too large for a double");
  }
  if (size_t bad = FindInvalidUtf8(text); bad != std::string_view::npos) {
    return InvalidArgumentError("invalid UTF-8 at byte " + std::to_string(bad));
  }
  return InvalidArgumentError("malformed JSON: " + ec.message());
}

Status CheckSize(std::string_view text, const CodecLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return ResourceExhaustedError(
        "event of " + std::to_string(text.size()) + " bytes exceeds the " +
        std::to_string(limits.max_bytes) + "-byte limit");
  }
  return Status::Ok();
}

boost::json::parse_options ParseOptions(const CodecLimits& limits) {
  boost::json::parse_options opts;
  opts.max_depth = limits.max_depth;
  return opts;
}

}  // namespace

void AppendEncodedEvent(const Event& e, std::string& out) {
  out += "{\"eventId\":";
  AppendJsonString(e.event_id, out);
  out += ",\"eventType\":";
  AppendJsonString(e.event_type, out);
  out += ",\"aggregateType\":";
  AppendJsonString(e.aggregate_type, out);
  out += ",\"aggregateId\":";
  AppendJsonString(e.aggregate_id, out);
  out += ",\"tenantId\":";
  AppendJsonString(e.tenant_id, out);
  out += ",\"timestamp\":\"";
  AppendRfc3339Millis(e.timestamp_ms, out);
  out += "\",\"version\":";
  out += std::to_string(e.version);
  if (e.stream_version > 0) {
    out += ",\"streamVersion\":";
    out += std::to_string(e.stream_version);
  }
  if (e.position > 0) {
    out += ",\"position\":";
    out += std::to_string(e.position);
  }
  out += ",\"payload\":";
  AppendJsonObject(e.payload, out);
  out += ",\"metadata\":";
  AppendJsonObject(e.metadata, out);
  out.push_back('}');
}

std::string EncodeEvent(const Event& event) {
  std::string out;
  out.reserve(256 + event.payload.size() * 32);
  AppendEncodedEvent(event, out);
  return out;
}

boost::json::object EventToJson(const Event& e) {
  boost::json::object o;
  o["eventId"] = e.event_id;
  o["eventType"] = e.event_type;
  o["aggregateType"] = e.aggregate_type;
  o["aggregateId"] = e.aggregate_id;
  o["tenantId"] = e.tenant_id;
  o["timestamp"] = FormatRfc3339Millis(e.timestamp_ms);
  o["version"] = e.version;
  if (e.stream_version > 0) o["streamVersion"] = e.stream_version;
  if (e.position > 0) o["position"] = e.position;
  o["payload"] = e.payload;
  o["metadata"] = e.metadata;
  return o;
}

Result<Event> EventFromJson(const boost::json::object& object,
                            const CodecLimits& limits) {
  return BuildEvent(object, limits);
}

Result<boost::json::value> ParseJson(std::string_view text,
                                     const CodecLimits& limits) {
  return JsonParser(limits).Parse(text);
}

struct JsonParser::Impl {
  explicit Impl(CodecLimits l) : limits(l), parser(ParseOptions(l)) {}
  CodecLimits limits;
  internal::JsonValueParser parser;
};

JsonParser::JsonParser(CodecLimits limits)
    : impl_(std::make_unique<Impl>(limits)) {}
JsonParser::~JsonParser() = default;

Result<boost::json::value> JsonParser::Parse(std::string_view text) {
  RETURN_IF_ERROR(CheckSize(text, impl_->limits));
  boost::json::error_code ec = impl_->parser.Parse(text);
  if (ec) return ParseError(text, ec, impl_->limits);
  return impl_->parser.Release();
}

// A SAX parser (internal::EventParseHandler): no DOM of the envelope, and
// payload/metadata are built once, in the heap storage the event keeps.
// (Measured: a DOM parsed into an arena plus a copy of payload/metadata was
// ~20% slower; a per-event arena kept by the event is unsafe, since
// boost::json copies allocate from the source's resource, so two threads
// copying one shared event would race in a monotonic_resource.)
struct EventDecoder::Impl {
  explicit Impl(CodecLimits l) : limits(l), parser(ParseOptions(l)) {}
  CodecLimits limits;
  internal::EventParser parser;
};

EventDecoder::EventDecoder(CodecLimits limits)
    : impl_(std::make_unique<Impl>(limits)) {}
EventDecoder::~EventDecoder() = default;

Result<EventPtr> EventDecoder::Decode(std::string_view text) {
  RETURN_IF_ERROR(CheckSize(text, impl_->limits));
  if (boost::json::error_code ec = impl_->parser.Parse(text)) {
    return ParseError(text, ec, impl_->limits);
  }
  internal::EventParseHandler& h = impl_->parser.handler();
  if (!h.root_object()) {
    return InvalidArgumentError("an event must be a JSON object");
  }
  if (h.has_unknown() && !impl_->limits.allow_unknown_fields) {
    return UnknownFieldError(h.first_unknown());
  }
  Event e;
  RETURN_IF_ERROR(ReadEnvelope(h.fields(), e));
  // Same (default) storage on both sides: these moves steal, never copy.
  e.payload = std::move(h.payload());
  e.metadata = std::move(h.metadata());
  RETURN_IF_ERROR(CheckMetadata(e));
  return std::make_shared<const Event>(std::move(e));
}

Result<EventPtr> DecodeEvent(std::string_view text, const CodecLimits& limits) {
  EventDecoder decoder(limits);
  return decoder.Decode(text);
}

}  // namespace stockpile::core
