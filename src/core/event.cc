#include "core/event.h"

#include <utility>

namespace stockpile::core {

namespace {

std::string_view MetaString(const boost::json::object& meta,
                            std::string_view key) {
  const boost::json::value* v = meta.if_contains(key);
  if (v == nullptr) return {};
  const boost::json::string* s = v->if_string();
  return s == nullptr ? std::string_view() : std::string_view(*s);
}

}  // namespace

std::string_view Event::correlation_id() const {
  return MetaString(metadata, kMetaCorrelationId);
}
std::string_view Event::causation_id() const {
  return MetaString(metadata, kMetaCausationId);
}
std::string_view Event::source() const {
  return MetaString(metadata, kMetaSource);
}

std::string_view Event::PayloadString(std::string_view key) const {
  return MetaString(payload, key);
}

bool Event::PayloadInt(std::string_view key, int64_t& out) const {
  const boost::json::value* v = payload.if_contains(key);
  if (v == nullptr) return false;
  if (const int64_t* i = v->if_int64()) {
    out = *i;
    return true;
  }
  if (const uint64_t* u = v->if_uint64()) {
    if (*u > static_cast<uint64_t>(INT64_MAX)) return false;
    out = static_cast<int64_t>(*u);
    return true;
  }
  return false;
}

EventBuilder::EventBuilder(std::string event_type) {
  event_.event_type = std::move(event_type);
}

EventBuilder& EventBuilder::Aggregate(std::string type, std::string id) {
  event_.aggregate_type = std::move(type);
  event_.aggregate_id = std::move(id);
  return *this;
}

EventBuilder& EventBuilder::Tenant(std::string tenant_id) {
  event_.tenant_id = std::move(tenant_id);
  return *this;
}

EventBuilder& EventBuilder::Version(int version) {
  event_.version = version;
  return *this;
}

EventBuilder& EventBuilder::Payload(boost::json::object payload) {
  event_.payload = std::move(payload);
  return *this;
}

EventBuilder& EventBuilder::Meta(std::string_view key,
                                 boost::json::value value) {
  event_.metadata[key] = std::move(value);
  return *this;
}

EventBuilder& EventBuilder::Source(std::string_view source) {
  return Meta(kMetaSource, boost::json::string(source));
}

EventBuilder& EventBuilder::User(std::string_view user_id) {
  if (user_id.empty()) return *this;
  return Meta(kMetaUserId, boost::json::string(user_id));
}

EventBuilder& EventBuilder::CausedBy(const Event& cause) {
  std::string_view corr = cause.correlation_id();
  if (corr.empty()) corr = cause.event_id;
  Meta(kMetaCorrelationId, boost::json::string(corr));
  Meta(kMetaCausationId, boost::json::string(cause.event_id));
  if (event_.tenant_id.empty()) event_.tenant_id = cause.tenant_id;
  if (event_.metadata.if_contains(kMetaUserId) == nullptr) {
    if (const auto* user = cause.metadata.if_contains(kMetaUserId)) {
      Meta(kMetaUserId, *user);
    }
  }
  return *this;
}

EventBuilder& EventBuilder::Correlation(std::string_view correlation_id) {
  if (correlation_id.empty()) return *this;
  return Meta(kMetaCorrelationId, boost::json::string(correlation_id));
}

EventBuilder& EventBuilder::Id(std::string event_id) {
  event_.event_id = std::move(event_id);
  return *this;
}

EventBuilder& EventBuilder::Timestamp(int64_t unix_millis) {
  event_.timestamp_ms = unix_millis;
  has_timestamp_ = true;
  return *this;
}

Event EventBuilder::BuildValue(UuidV7Generator& ids, const Clock& clock) {
  if (event_.event_id.empty()) event_.event_id = ids.NextString();
  if (!has_timestamp_) event_.timestamp_ms = clock.NowMillis();
  if (event_.metadata.if_contains(kMetaCorrelationId) == nullptr) {
    event_.metadata[kMetaCorrelationId] = boost::json::string(event_.event_id);
  }
  has_timestamp_ = false;
  return std::exchange(event_, Event{});
}

EventPtr EventBuilder::Build(UuidV7Generator& ids, const Clock& clock) {
  return std::make_shared<const Event>(BuildValue(ids, clock));
}

}  // namespace stockpile::core
