#include "core/event_codec.h"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parser.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <string>
#include <utility>

#include "core/json_text.h"
#include "core/status_macros.h"
#include "core/time_format.h"
#include "core/topic_pattern.h"

namespace stockpile::core {

namespace {

constexpr size_t kMaxIdLength = 255;

// The top-level fields of the envelope, as indices into EnvelopeFields.
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
  kFieldCount,
};

// The Field named `key`, or kFieldCount for a key outside the envelope.
// Dispatching on the length first keeps this to one to three comparisons.
Field EnvelopeField(std::string_view key) {
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

Status FieldError(std::string_view field, std::string_view why) {
  std::string msg = "field '";
  msg += field;
  msg += "' ";
  msg += why;
  return InvalidArgumentError(msg);
}

// Reads a required (or optional) non-empty string field; `v` is its value,
// null when absent.
Status ReadStringView(const boost::json::value* v, std::string_view field,
                      bool required, std::string_view& out) {
  if (v == nullptr) {
    return required ? FieldError(field, "is missing") : Status::Ok();
  }
  const boost::json::string* s = v->if_string();
  if (s == nullptr) return FieldError(field, "must be a string");
  if (s->empty()) return FieldError(field, "must not be empty");
  if (s->size() > kMaxIdLength) {
    return FieldError(field, "is longer than 255 characters");
  }
  out = std::string_view(s->data(), s->size());
  return Status::Ok();
}

Status ReadString(const boost::json::value* v, std::string_view field,
                  bool required, std::string& out) {
  std::string_view view;
  RETURN_IF_ERROR(ReadStringView(v, field, required, view));
  if (!view.empty()) out.assign(view);
  return Status::Ok();
}

Status ReadInt(const boost::json::value* v, std::string_view field, int64_t min,
               int64_t max, int64_t& out) {
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

// Shared by EventFromJson and the decoder. Copies payload and metadata into
// default (heap) storage, so the event owns plain boost::json objects
// whatever memory `o` lives in.
Result<Event> BuildEvent(const boost::json::object& o,
                         const CodecLimits& limits) {
  // One pass finds every field (keys are unique in a boost::json object).
  const boost::json::value* f[kFieldCount + 1] = {};
  for (const auto& kv : o) {
    Field field = EnvelopeField(kv.key());
    if (field == kFieldCount && !limits.allow_unknown_fields) {
      std::string key(kv.key().substr(0, 64));
      return InvalidArgumentError("unknown top-level field '" + key + "'");
    }
    f[field] = &kv.value();
  }
  Event e;
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

  const boost::json::value* payload = f[kPayload];
  if (payload == nullptr) return FieldError("payload", "is missing");
  if (!payload->is_object()) {
    return FieldError("payload", "must be a JSON object");
  }
  const boost::json::value* metadata = f[kMetadata];
  if (metadata != nullptr && !metadata->is_object() && !metadata->is_null()) {
    return FieldError("metadata", "must be a JSON object");
  }
  e.payload = payload->get_object();
  if (metadata != nullptr && metadata->is_object()) {
    e.metadata = metadata->get_object();
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

// Parses into memory from `storage` (the default heap when null).
Result<boost::json::value> ParseWith(boost::json::parser& parser,
                                     std::string_view text,
                                     const CodecLimits& limits,
                                     boost::json::storage_ptr storage = {}) {
  RETURN_IF_ERROR(CheckSize(text, limits));
  parser.reset(std::move(storage));
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

// The document is parsed into `arena` (bump allocation from a buffer kept
// between calls, no per-node malloc or free, and no refcounting: the
// storage_ptr does not own it); BuildEvent copies only the payload and
// metadata out to the heap, then the whole document is dropped at once.
//
// Why not let the event keep the arena (a shared monotonic resource per
// event)? boost::json copies use the source's memory resource, so copying a
// shared, immutable event from two threads would allocate from one
// monotonic_resource concurrently (a data race), every copy would grow the
// arena, and a shared storage_ptr costs an atomic increment and decrement
// per JSON node: measured slower than this (BENCHMARKS.md, "Codec").
struct EventDecoder::Impl {
  explicit Impl(CodecLimits l)
      : limits(l), parser(boost::json::storage_ptr(), ParseOptions(l)) {}
  CodecLimits limits;
  // Holds a typical event's document; larger ones spill into blocks that
  // release() frees after each decode.
  alignas(std::max_align_t) unsigned char buffer[4096];
  boost::json::monotonic_resource arena{buffer, sizeof buffer};
  boost::json::parser parser;  // after arena: may point into it
};

EventDecoder::EventDecoder(CodecLimits limits)
    : impl_(std::make_unique<Impl>(limits)) {}
EventDecoder::~EventDecoder() = default;

Result<EventPtr> EventDecoder::Decode(std::string_view text) {
  Result<Event> event = DecodeInArena(text);
  // The document is gone; the parser lets go of the arena (and of any
  // partial document a parse error left) before its blocks are freed.
  impl_->parser.reset();
  impl_->arena.release();
  if (!event.ok()) return event.status();
  return std::make_shared<const Event>(std::move(event).value());
}

Result<Event> EventDecoder::DecodeInArena(std::string_view text) {
  ASSIGN_OR_RETURN(boost::json::value v,
                   ParseWith(impl_->parser, text, impl_->limits,
                             boost::json::storage_ptr(&impl_->arena)));
  const boost::json::object* o = v.if_object();
  if (o == nullptr) {
    return InvalidArgumentError("an event must be a JSON object");
  }
  return BuildEvent(*o, impl_->limits);
}

Result<EventPtr> DecodeEvent(std::string_view text, const CodecLimits& limits) {
  EventDecoder decoder(limits);
  return decoder.Decode(text);
}

}  // namespace stockpile::core
