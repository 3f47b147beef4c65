#include "core/cloud_events.h"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <utility>

#include "core/status_macros.h"
#include "core/time_format.h"
#include "core/topic_pattern.h"

namespace stockpile::core {

namespace {

// The source used when an event's metadata names none; decoding it gives
// back an event without metadata.source.
constexpr std::string_view kDefaultSource = "/stockpile";

// Metadata keys carried as their own extension attributes.
struct MetaExtension {
  std::string_view meta_key;
  std::string_view extension;
};
constexpr MetaExtension kMetaExtensions[] = {
    {kMetaCorrelationId, "correlationid"},
    {kMetaCausationId, "causationid"},
    {kMetaUserId, "userid"},
};

constexpr std::string_view kCoreAttributes[] = {
    "specversion",  "id",
    "source",       "type",
    "subject",      "time",
    "data",         "datacontenttype",
    "dataschema",   "data_base64",
    "tenantid",     "aggregatetype",
    "eventversion", "streamversion",
    "position",     "stockpilemeta"};

Status AttrError(std::string_view attr, std::string_view why) {
  std::string msg = "CloudEvent attribute '";
  msg += attr;
  msg += "' ";
  msg += why;
  return InvalidArgumentError(msg);
}

Result<std::string> RequiredString(const boost::json::object& o,
                                   std::string_view attr) {
  const boost::json::value* v = o.if_contains(attr);
  if (v == nullptr) return AttrError(attr, "is missing");
  const boost::json::string* s = v->if_string();
  if (s == nullptr) return AttrError(attr, "must be a string");
  if (s->empty()) return AttrError(attr, "must not be empty");
  if (s->size() > 255) return AttrError(attr, "is longer than 255 characters");
  return std::string(*s);
}

// Optional string; "" when absent.
Result<std::string> OptionalString(const boost::json::object& o,
                                   std::string_view attr) {
  if (!o.contains(attr)) return std::string();
  return RequiredString(o, attr);
}

// CloudEvents integers may arrive as JSON numbers or as strings.
Result<int64_t> OptionalInt(const boost::json::object& o, std::string_view attr,
                            int64_t fallback, int64_t min) {
  const boost::json::value* v = o.if_contains(attr);
  if (v == nullptr) return fallback;
  int64_t out = 0;
  if (const int64_t* i = v->if_int64()) {
    out = *i;
  } else if (const boost::json::string* s = v->if_string()) {
    try {
      size_t used = 0;
      out = std::stoll(std::string(*s), &used);
      if (used != s->size()) return AttrError(attr, "must be an integer");
    } catch (const std::exception&) {
      return AttrError(attr, "must be an integer");
    }
  } else {
    return AttrError(attr, "must be an integer");
  }
  if (out < min) return AttrError(attr, "is out of range");
  return out;
}

bool IsExtensionName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

bool IsCoreAttribute(std::string_view name) {
  for (std::string_view a : kCoreAttributes) {
    if (a == name) return true;
  }
  for (const MetaExtension& m : kMetaExtensions) {
    if (m.extension == name) return true;
  }
  return false;
}

}  // namespace

bool IsCloudEvent(const boost::json::object& object) {
  return object.contains("specversion");
}

boost::json::object EventToCloudEvent(const Event& e) {
  boost::json::object ce;
  ce["specversion"] = "1.0";
  ce["id"] = e.event_id;
  std::string_view source = e.source();
  ce["source"] = source.empty() ? kDefaultSource : source;
  ce["type"] = e.event_type;
  ce["subject"] = e.aggregate_id;
  ce["time"] = FormatRfc3339Millis(e.timestamp_ms);
  ce["datacontenttype"] = "application/json";
  ce["tenantid"] = e.tenant_id;
  ce["aggregatetype"] = e.aggregate_type;
  ce["eventversion"] = e.version;
  if (e.stream_version > 0) ce["streamversion"] = e.stream_version;
  if (e.position > 0) ce["position"] = e.position;
  boost::json::object rest = e.metadata;
  rest.erase(kMetaSource);
  for (const MetaExtension& m : kMetaExtensions) {
    // An empty value stays in stockpilemeta: the extension attribute must
    // not be empty, and decoding gives the same metadata back either way.
    if (const boost::json::value* v = e.metadata.if_contains(m.meta_key);
        v != nullptr && v->is_string() && !v->get_string().empty()) {
      ce[m.extension] = *v;
      rest.erase(m.meta_key);
    }
  }
  if (!rest.empty()) ce["stockpilemeta"] = boost::json::serialize(rest);
  ce["data"] = e.payload;
  return ce;
}

std::string EncodeCloudEvent(const Event& event) {
  return boost::json::serialize(EventToCloudEvent(event));
}

Result<Event> CloudEventToEvent(const boost::json::object& ce,
                                const CloudEventOptions& options) {
  ASSIGN_OR_RETURN(std::string spec, RequiredString(ce, "specversion"));
  if (spec != "1.0") {
    return AttrError("specversion", "must be \"1.0\", got \"" + spec + "\"");
  }
  Event e;
  ASSIGN_OR_RETURN(std::string id, RequiredString(ce, "id"));
  ASSIGN_OR_RETURN(std::string source, RequiredString(ce, "source"));
  ASSIGN_OR_RETURN(e.event_type, RequiredString(ce, "type"));
  RETURN_IF_ERROR(
      ValidateRoutingKey(e.event_type).WithContext("CloudEvent 'type'"));
  if (IsUuid(id)) {
    e.event_id = Uuid::Parse(id)->ToString();
  } else {
    e.event_id = Uuid::FromName(source, id).ToString();
    e.metadata["externalId"] = id;
  }
  if (source != kDefaultSource) e.metadata[kMetaSource] = source;

  ASSIGN_OR_RETURN(std::string time, RequiredString(ce, "time"));
  Result<int64_t> ts = ParseRfc3339Millis(time);
  if (!ts.ok()) return ts.status().WithContext("CloudEvent 'time'");
  e.timestamp_ms = *ts;

  ASSIGN_OR_RETURN(e.tenant_id, OptionalString(ce, "tenantid"));
  if (e.tenant_id.empty()) e.tenant_id = options.default_tenant;
  if (e.tenant_id.empty()) {
    return AttrError("tenantid", "is missing and no tenant is implied");
  }
  ASSIGN_OR_RETURN(e.aggregate_id, OptionalString(ce, "subject"));
  if (e.aggregate_id.empty()) e.aggregate_id = id;
  ASSIGN_OR_RETURN(e.aggregate_type, OptionalString(ce, "aggregatetype"));
  if (e.aggregate_type.empty()) {
    e.aggregate_type = std::string(SplitWords(e.event_type).front());
  }
  ASSIGN_OR_RETURN(int64_t version, OptionalInt(ce, "eventversion", 1, 1));
  if (version > 1'000'000) return AttrError("eventversion", "is out of range");
  e.version = static_cast<int>(version);
  ASSIGN_OR_RETURN(e.stream_version, OptionalInt(ce, "streamversion", 0, 0));
  ASSIGN_OR_RETURN(e.position, OptionalInt(ce, "position", 0, 0));

  if (ce.contains("data_base64")) {
    return AttrError("data_base64",
                     "is not supported: send JSON data as an object");
  }
  if (const boost::json::value* ct = ce.if_contains("datacontenttype")) {
    const boost::json::string* s = ct->if_string();
    std::string_view type = s ? std::string_view(*s) : std::string_view();
    if (type.substr(0, 16) != "application/json" &&
        (type.size() < 5 || type.substr(type.size() - 5) != "+json")) {
      return AttrError("datacontenttype", "must be application/json");
    }
  }
  if (const boost::json::value* data = ce.if_contains("data")) {
    if (!data->is_object()) return AttrError("data", "must be a JSON object");
    e.payload = data->get_object();
  }

  if (const boost::json::value* meta = ce.if_contains("stockpilemeta")) {
    const boost::json::string* s = meta->if_string();
    if (s == nullptr) return AttrError("stockpilemeta", "must be a string");
    CodecLimits limits = options.limits;
    Result<boost::json::value> parsed = ParseJson(*s, limits);
    if (!parsed.ok() || !parsed->is_object()) {
      return AttrError("stockpilemeta", "must hold a JSON object");
    }
    for (auto& kv : parsed->get_object()) e.metadata[kv.key()] = kv.value();
  }
  for (const MetaExtension& m : kMetaExtensions) {
    ASSIGN_OR_RETURN(std::string value, OptionalString(ce, m.extension));
    if (!value.empty()) e.metadata[m.meta_key] = value;
  }
  // Other extension attributes are kept in metadata under their own names,
  // which CloudEvents 1.0 restricts to lowercase letters and digits — so
  // none can overwrite a camelCase key of ours (correlationId, ...).
  for (const auto& kv : ce) {
    if (IsCoreAttribute(kv.key())) continue;
    if (!IsExtensionName(kv.key())) {
      return AttrError(kv.key(),
                       "is not a valid attribute name: CloudEvents 1.0 "
                       "allows only lowercase letters and digits");
    }
    e.metadata[kv.key()] = kv.value();
  }
  // stockpilemeta may carry anything; the keys the envelope types must
  // hold their type.
  for (std::string_view key :
       {kMetaCorrelationId, kMetaCausationId, kMetaUserId}) {
    if (const boost::json::value* v = e.metadata.if_contains(key);
        v != nullptr && !v->is_string()) {
      return AttrError("stockpilemeta",
                       "'" + std::string(key) + "' must be a string");
    }
  }
  return e;
}

Result<EventPtr> DecodeCloudEvent(std::string_view text,
                                  const CloudEventOptions& options) {
  ASSIGN_OR_RETURN(boost::json::value v, ParseJson(text, options.limits));
  const boost::json::object* o = v.if_object();
  if (o == nullptr) {
    return InvalidArgumentError("a CloudEvent must be a JSON object");
  }
  ASSIGN_OR_RETURN(Event e, CloudEventToEvent(*o, options));
  return std::make_shared<const Event>(std::move(e));
}

}  // namespace stockpile::core
