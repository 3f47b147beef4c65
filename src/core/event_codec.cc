#include "core/event_codec.h"

#include <boost/json/parser.hpp>
#include <boost/json/value.hpp>
#include <utility>

#include "core/json_text.h"
#include "core/status_macros.h"
#include "core/time_format.h"
#include "core/topic_pattern.h"

namespace stockpile::core {

namespace {

constexpr size_t kMaxIdLength = 255;

// True for the top-level fields of the envelope. Dispatching on the length
// first keeps this to one to three comparisons per key (not eleven) on the
// decode hot path.
bool IsEnvelopeField(std::string_view key) {
  switch (key.size()) {
    case 7:
      return key == "eventId" || key == "version" || key == "payload";
    case 8:
      return key == "tenantId" || key == "position" || key == "metadata";
    case 9:
      return key == "eventType" || key == "timestamp";
    case 11:
      return key == "aggregateId";
    case 13:
      return key == "aggregateType" || key == "streamVersion";
    default:
      return false;
  }
}

Status FieldError(std::string_view field, std::string_view why) {
  std::string msg = "field '";
  msg += field;
  msg += "' ";
  msg += why;
  return InvalidArgumentError(msg);
}

// Reads a required (or optional) non-empty string field.
Status ReadString(const boost::json::object& o, std::string_view field,
                  bool required, std::string& out) {
  const boost::json::value* v = o.if_contains(field);
  if (v == nullptr) {
    return required ? FieldError(field, "is missing") : Status::Ok();
  }
  const boost::json::string* s = v->if_string();
  if (s == nullptr) return FieldError(field, "must be a string");
  if (s->empty()) return FieldError(field, "must not be empty");
  if (s->size() > kMaxIdLength) {
    return FieldError(field, "is longer than 255 characters");
  }
  out.assign(s->data(), s->size());
  return Status::Ok();
}

Status ReadInt(const boost::json::object& o, std::string_view field,
               int64_t min, int64_t max, int64_t& out) {
  const boost::json::value* v = o.if_contains(field);
  if (v == nullptr) return Status::Ok();
  if (const int64_t* i = v->if_int64()) {
    out = *i;
  } else if (const uint64_t* u = v->if_uint64()) {
    if (*u > static_cast<uint64_t>(max)) {
      return FieldError(field, "is out of range");
    }
    out = static_cast<int64_t>(*u);
  } else {
    return FieldError(field, "must be an integer");
  }
  if (out < min || out > max) return FieldError(field, "is out of range");
  return Status::Ok();
}

// Shared by EventFromJson (copies payload/metadata) and the decoder (moves).
template <typename Object>
Result<Event> BuildEvent(Object&& o, const CodecLimits& limits) {
  if (!limits.allow_unknown_fields) {
    for (const auto& kv : o) {
      if (!IsEnvelopeField(kv.key())) {
        std::string key(kv.key().substr(0, 64));
        return InvalidArgumentError("unknown top-level field '" + key + "'");
      }
    }
  }
  Event e;
  RETURN_IF_ERROR(ReadString(o, "eventId", true, e.event_id));
  if (Status s = Uuid::Parse(e.event_id).status(); !s.ok()) {
    return s.WithContext("field 'eventId'");
  }
  RETURN_IF_ERROR(ReadString(o, "eventType", true, e.event_type));
  RETURN_IF_ERROR(
      ValidateRoutingKey(e.event_type).WithContext("field 'eventType'"));
  RETURN_IF_ERROR(ReadString(o, "aggregateType", true, e.aggregate_type));
  RETURN_IF_ERROR(ReadString(o, "aggregateId", true, e.aggregate_id));
  RETURN_IF_ERROR(ReadString(o, "tenantId", true, e.tenant_id));
  std::string ts;
  RETURN_IF_ERROR(ReadString(o, "timestamp", true, ts));
  Result<int64_t> ts_ms = ParseRfc3339Millis(ts);
  if (!ts_ms.ok()) return ts_ms.status().WithContext("field 'timestamp'");
  e.timestamp_ms = *ts_ms;
  int64_t version = 1;
  RETURN_IF_ERROR(ReadInt(o, "version", 1, 1'000'000, version));
  e.version = static_cast<int>(version);
  RETURN_IF_ERROR(ReadInt(o, "streamVersion", 0, INT64_MAX, e.stream_version));
  RETURN_IF_ERROR(ReadInt(o, "position", 0, INT64_MAX, e.position));

  auto payload_it = o.find("payload");
  if (payload_it == o.end()) return FieldError("payload", "is missing");
  if (!payload_it->value().is_object()) {
    return FieldError("payload", "must be a JSON object");
  }
  auto metadata_it = o.find("metadata");
  if (metadata_it != o.end() && !metadata_it->value().is_object() &&
      !metadata_it->value().is_null()) {
    return FieldError("metadata", "must be a JSON object");
  }
  if constexpr (std::is_rvalue_reference_v<Object&&>) {
    e.payload = std::move(payload_it->value().get_object());
    if (metadata_it != o.end() && metadata_it->value().is_object()) {
      e.metadata = std::move(metadata_it->value().get_object());
    }
  } else {
    e.payload = payload_it->value().get_object();
    if (metadata_it != o.end() && metadata_it->value().is_object()) {
      e.metadata = metadata_it->value().get_object();
    }
  }
  for (std::string_view key : {kMetaCorrelationId, kMetaCausationId}) {
    if (const auto* v = e.metadata.if_contains(key);
        v != nullptr && !v->is_string()) {
      return FieldError("metadata." + std::string(key), "must be a string");
    }
  }
  return e;
}

Status ParseError(std::string_view text, const boost::system::error_code& ec,
                  const CodecLimits& limits) {
  if (ec == boost::json::error::too_deep) {
    return InvalidArgumentError("JSON nesting deeper than " +
                                std::to_string(limits.max_depth) + " levels");
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

Result<boost::json::value> ParseWith(boost::json::parser& parser,
                                     std::string_view text,
                                     const CodecLimits& limits) {
  RETURN_IF_ERROR(CheckSize(text, limits));
  parser.reset();
  boost::system::error_code ec;
  parser.write(text.data(), text.size(), ec);
  if (ec) return ParseError(text, ec, limits);
  return parser.release();
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
  boost::json::parser parser(boost::json::storage_ptr(), ParseOptions(limits));
  return ParseWith(parser, text, limits);
}

struct EventDecoder::Impl {
  explicit Impl(CodecLimits l)
      : limits(l), parser(boost::json::storage_ptr(), ParseOptions(l)) {}
  CodecLimits limits;
  boost::json::parser parser;
};

EventDecoder::EventDecoder(CodecLimits limits)
    : impl_(std::make_unique<Impl>(limits)) {}
EventDecoder::~EventDecoder() = default;

Result<EventPtr> EventDecoder::Decode(std::string_view text) {
  ASSIGN_OR_RETURN(boost::json::value v,
                   ParseWith(impl_->parser, text, impl_->limits));
  boost::json::object* o = v.if_object();
  if (o == nullptr) {
    return InvalidArgumentError("an event must be a JSON object");
  }
  ASSIGN_OR_RETURN(Event e, BuildEvent(std::move(*o), impl_->limits));
  return std::make_shared<const Event>(std::move(e));
}

Result<EventPtr> DecodeEvent(std::string_view text, const CodecLimits& limits) {
  EventDecoder decoder(limits);
  return decoder.Decode(text);
}

}  // namespace stockpile::core
