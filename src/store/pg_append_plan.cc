#include "store/pg_append_plan.h"

#include <utility>

#include "core/event_codec.h"
#include "store/append_validation.h"

namespace stockpile::store {

namespace {

void Separate(std::string& column) {
  if (!column.empty()) column.push_back(',');
}

// Adds one element to an array literal under construction (no braces).
void AddText(std::string& column, std::string_view value) {
  Separate(column);
  AppendArrayElement(value, column);
}
void AddNumber(std::string& column, int64_t value) {
  Separate(column);
  column += std::to_string(value);
}

std::string Braced(const std::string& elements) { return "{" + elements + "}"; }

}  // namespace

std::string LowerId(std::string_view id) {
  std::string out(id);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

PgAppendPlan::PgAppendPlan(
    int64_t head, std::map<std::string, PgStreamState> streams,
    std::unordered_map<std::string, PgStoredEvent> stored)
    : head_(head), streams_(std::move(streams)), stored_(std::move(stored)) {}

std::string PgAppendPlan::StreamKey(std::string_view tenant,
                                    std::string_view stream) {
  std::string key(tenant);
  key.push_back('\0');
  key.append(stream);
  return key;
}

core::Result<AppendResult> PgAppendPlan::Add(PgAppendRequest& request) {
  last_was_write_ = false;
  const std::string key = StreamKey(request.tenant, request.stream);
  PgStreamState& state = streams_[key];
  if (state.deleted) {
    return core::FailedPreconditionError("stream '" + request.stream +
                                         "' is deleted");
  }
  auto dup = stored_.find(LowerId(request.events.front().event_id));
  if (dup != stored_.end() && dup->second.tenant == request.tenant &&
      dup->second.stream == request.stream) {
    return Replay(request);
  }
  for (const core::Event& e : request.events) {
    auto it = stored_.find(LowerId(e.event_id));
    if (it != stored_.end()) {
      // Another tenant's stream is not named.
      const bool same = it->second.tenant == request.tenant &&
                        it->second.stream == request.stream;
      return core::ConflictError(
          "event " + e.event_id +
          (same ? " is already in stream '" + request.stream + "'"
                : std::string(" is already stored in another stream")));
    }
  }
  if (!request.expected.Matches(state.version)) {
    return VersionConflict(request.stream, state.version, request.expected);
  }
  AppendResult result;
  std::string body;
  for (core::Event& e : request.events) {
    e.stream_version = ++state.version;
    e.position = ++head_;
    body.clear();
    core::AppendEncodedEvent(e, body);
    AddNumber(positions_, e.position);
    AddText(tenants_, request.tenant);
    AddText(streams_col_, request.stream);
    AddNumber(versions_, e.stream_version);
    AddText(ids_, e.event_id);
    AddText(types_, e.event_type);
    AddNumber(timestamps_, e.timestamp_ms);
    AddText(bodies_, body);
    ++rows_;
    auto ptr = std::make_shared<const core::Event>(std::move(e));
    stored_[LowerId(ptr->event_id)] =
        PgStoredEvent{request.tenant, request.stream, ptr, true};
    result.events.push_back(std::move(ptr));
  }
  written_versions_[key] = state.version;
  result.first_position = result.events.front()->position;
  result.last_position = result.events.back()->position;
  result.stream_version = state.version;
  last_was_write_ = true;
  return result;
}

core::Result<AppendResult> PgAppendPlan::Replay(
    const PgAppendRequest& request) {
  AppendResult result;
  const int64_t first = stored_.at(LowerId(request.events.front().event_id))
                            .event->stream_version;
  for (size_t i = 0; i < request.events.size(); ++i) {
    const std::string& id = request.events[i].event_id;
    auto it = stored_.find(LowerId(id));
    if (it == stored_.end() || it->second.tenant != request.tenant ||
        it->second.stream != request.stream ||
        it->second.event->stream_version != first + static_cast<int64_t>(i)) {
      return core::ConflictError(
          "batch partly overlaps events already in stream '" + request.stream +
          "' (event " + id + ")");
    }
    result.events.push_back(it->second.event);
    last_was_write_ = last_was_write_ || it->second.this_group;
  }
  result.first_position = result.events.front()->position;
  result.last_position = result.events.back()->position;
  result.stream_version = result.events.back()->stream_version;
  return result;
}

PgParams PgAppendPlan::InsertEventsParams() const {
  return {Braced(positions_),  Braced(tenants_), Braced(streams_col_),
          Braced(versions_),   Braced(ids_),     Braced(types_),
          Braced(timestamps_), Braced(bodies_)};
}

PgParams PgAppendPlan::UpsertStreamsParams() const {
  std::string tenants, streams, versions;
  for (const auto& [key, version] : written_versions_) {
    const size_t split = key.find('\0');
    AddText(tenants, std::string_view(key).substr(0, split));
    AddText(streams, std::string_view(key).substr(split + 1));
    AddNumber(versions, version);
  }
  return {Braced(tenants), Braced(streams), Braced(versions)};
}

}  // namespace stockpile::store
