#include "store/append_validation.h"

#include <string>
#include <unordered_set>

#include "core/status_macros.h"
#include "core/topic_pattern.h"
#include "core/uuid.h"

namespace stockpile::store {

namespace {

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9');
}

std::string Quoted(std::string_view s) {
  return "'" + std::string(s.substr(0, 64)) + (s.size() > 64 ? "...'" : "'");
}

}  // namespace

core::Status ValidateTenant(std::string_view tenant) {
  if (tenant.empty()) return core::InvalidArgumentError("tenant is empty");
  if (tenant.size() > kMaxTenantLength) {
    return core::InvalidArgumentError("tenant is longer than 64 characters");
  }
  for (char c : tenant) {
    if (!IsAlnum(c) && c != '_' && c != '-') {
      return core::InvalidArgumentError("tenant " + Quoted(tenant) +
                                        " may contain only [A-Za-z0-9_-]");
    }
  }
  return core::Status::Ok();
}

core::Status ValidateStreamName(std::string_view stream) {
  if (stream.empty()) return core::InvalidArgumentError("stream name is empty");
  if (stream.size() > kMaxStreamNameLength) {
    return core::InvalidArgumentError("stream name is longer than 200 bytes");
  }
  for (char c : stream) {
    if (!IsAlnum(c) &&
        std::string_view("-_.:@+=~").find(c) == std::string_view::npos) {
      return core::InvalidArgumentError(
          "stream name " + Quoted(stream) +
          " may contain only [A-Za-z0-9] and -_.:@+=~");
    }
  }
  return core::Status::Ok();
}

core::Status ValidateStreamRef(std::string_view tenant,
                               std::string_view stream) {
  RETURN_IF_ERROR(ValidateTenant(tenant));
  return ValidateStreamName(stream);
}

std::string StreamKey(std::string_view tenant, std::string_view stream) {
  std::string key(tenant);
  key.push_back('\0');
  key.append(stream);
  return key;
}

core::Status ValidateAppend(std::string_view tenant, std::string_view stream,
                            const std::vector<core::Event>& events,
                            const core::CodecLimits& limits) {
  RETURN_IF_ERROR(ValidateStreamRef(tenant, stream));
  if (events.empty()) {
    return core::InvalidArgumentError("append of an empty batch");
  }
  std::unordered_set<std::string_view> ids;
  std::string encoded;
  for (size_t i = 0; i < events.size(); ++i) {
    const core::Event& e = events[i];
    const std::string where = "event " + std::to_string(i) + ": ";
    if (e.tenant_id != tenant) {
      return core::InvalidArgumentError(
          where + "tenantId " + Quoted(e.tenant_id) +
          " differs from the append tenant " + Quoted(tenant));
    }
    if (!core::IsUuid(e.event_id)) {
      return core::InvalidArgumentError(where + "eventId " +
                                        Quoted(e.event_id) + " is not a UUID");
    }
    if (!ids.insert(e.event_id).second) {
      return core::InvalidArgumentError(where + "eventId " + e.event_id +
                                        " appears twice in the batch");
    }
    RETURN_IF_ERROR(core::ValidateRoutingKey(e.event_type)
                        .WithContext(where + "eventType"));
    if (e.version < 1) {
      return core::InvalidArgumentError(where + "version must be >= 1");
    }
    encoded.clear();
    core::AppendEncodedEvent(e, encoded);
    if (encoded.size() > limits.max_bytes) {
      return core::InvalidArgumentError(
          where + "encoded size " + std::to_string(encoded.size()) +
          " bytes exceeds the limit of " + std::to_string(limits.max_bytes));
    }
  }
  return core::Status::Ok();
}

core::Status ValidateReadFilter(const ReadFilter& filter) {
  if (filter.all_tenants) {
    if (!filter.tenant.empty()) {
      return core::InvalidArgumentError(
          "read filter names a tenant and all tenants");
    }
  } else {
    RETURN_IF_ERROR(ValidateTenant(filter.tenant).WithContext("read filter"));
  }
  for (const std::string& p : filter.type_patterns) {
    RETURN_IF_ERROR(core::ValidateTopicPattern(p));
  }
  return core::Status::Ok();
}

core::Status VersionConflict(std::string_view stream, int64_t actual,
                             ExpectedVersion expected) {
  return core::ConflictError("stream " + Quoted(stream) + " is at version " +
                             std::to_string(actual) + ", expected " +
                             expected.ToString());
}

}  // namespace stockpile::store
