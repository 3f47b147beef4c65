#include "domain/notifications/alert_state.h"

#include <charconv>

#include "core/time_format.h"
#include "domain/common/json_fields.h"

namespace stockpile::domain::notifications {

std::string AlertStream(std::string_view alert_type, std::string_view key) {
  return "alerts-" + std::string(alert_type) + "." + std::string(key);
}

std::string AlertId(std::string_view alert_type, std::string_view key,
                    int64_t sequence) {
  return std::string(alert_type) + "." + std::string(key) + "." +
         std::to_string(sequence);
}

core::Result<AlertRef> ParseAlertId(std::string_view id) {
  const size_t type_end = id.find('.');
  const size_t seq_begin = id.rfind('.');
  int64_t sequence = 0;
  const char* end = id.data() + id.size();
  auto [ptr, ec] = std::from_chars(
      id.data() + (seq_begin == std::string_view::npos ? 0 : seq_begin + 1),
      end, sequence);
  if (type_end == std::string_view::npos || seq_begin <= type_end + 1 ||
      ec != std::errc() || ptr != end || sequence < 1 || id.size() > 150) {
    return core::InvalidArgumentError(
        "'" + std::string(id) +
        "' is not an alert id (<alertType>.<subject>.<number>)");
  }
  return AlertRef{"alerts-" + std::string(id.substr(0, seq_begin)), sequence};
}

boost::json::object AlertState::ToJson() const {
  boost::json::object o{
      {"id", id},
      {"productId", product_id},
      {"locationId", location_id},
      {"alertType", alert_type},
      {"message", message},
      {"severity", severity},
      {"isResolved", resolved},
      {"createdAt", core::FormatRfc3339Millis(created_at_ms)}};
  if (product_id.empty()) o["productId"] = nullptr;
  if (location_id.empty()) o["locationId"] = nullptr;
  if (!subject_id.empty()) o["subjectId"] = subject_id;
  if (resolved) {
    o["resolvedBy"] = resolved_by;
    o["resolvedAt"] = core::FormatRfc3339Millis(resolved_at_ms);
  }
  return o;
}

void AlertState::Apply(const core::Event& e) {
  if (e.event_type == kAlertRaised) {
    const int64_t count = raised + 1;
    *this = AlertState{};
    exists = true;
    raised = count;
    id = common::JsonString(e.payload, "alertId");
    alert_type = common::JsonString(e.payload, "alertType");
    product_id = common::JsonString(e.payload, "productId");
    location_id = common::JsonString(e.payload, "locationId");
    subject_id = common::JsonString(e.payload, "subjectId");
    message = common::JsonString(e.payload, "message");
    severity = common::JsonString(e.payload, "severity");
    created_at_ms = e.timestamp_ms;
  } else if (e.event_type == kAlertResolved &&
             common::JsonString(e.payload, "alertId") == id) {
    resolved = true;
    resolved_by = common::JsonString(e.payload, "resolvedBy");
    resolved_at_ms = e.timestamp_ms;
  }
}

boost::json::object AlertState::ToSnapshot() const {
  return {{"raised", raised},
          {"id", id},
          {"alertType", alert_type},
          {"productId", product_id},
          {"locationId", location_id},
          {"subjectId", subject_id},
          {"message", message},
          {"severity", severity},
          {"resolved", resolved},
          {"resolvedBy", resolved_by},
          {"createdAtMs", created_at_ms},
          {"resolvedAtMs", resolved_at_ms}};
}

core::Result<AlertState> AlertState::FromSnapshot(
    const boost::json::object& o) {
  AlertState s;
  s.exists = true;
  s.raised = common::JsonInt(o, "raised");
  s.id = common::JsonString(o, "id");
  s.alert_type = common::JsonString(o, "alertType");
  s.product_id = common::JsonString(o, "productId");
  s.location_id = common::JsonString(o, "locationId");
  s.subject_id = common::JsonString(o, "subjectId");
  s.message = common::JsonString(o, "message");
  s.severity = common::JsonString(o, "severity");
  s.resolved = common::JsonBool(o, "resolved");
  s.resolved_by = common::JsonString(o, "resolvedBy");
  s.created_at_ms = common::JsonInt(o, "createdAtMs");
  s.resolved_at_ms = common::JsonInt(o, "resolvedAtMs");
  return s;
}

}  // namespace stockpile::domain::notifications
