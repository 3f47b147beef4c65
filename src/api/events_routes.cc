#include "api/events_routes.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <memory>
#include <mutex>
#include <string>

#include "api/query_params.h"
#include "api/status_http.h"
#include "core/event_codec.h"
#include "core/status_macros.h"
#include "core/topic_pattern.h"
#include "domain/users/user_state.h"

namespace stockpile::api {

namespace {

core::Result<std::vector<std::string>> TypePatterns(const Request& req) {
  std::optional<std::string_view> type = req.Query("type");
  if (!type || type->empty()) return std::vector<std::string>{};
  RETURN_IF_ERROR(
      core::ValidateTopicPattern(*type).WithContext("query parameter 'type'"));
  return std::vector<std::string>{std::string(*type)};
}

// `e`, or (for user.password.set) a copy in `scratch` without the password
// hash: the event API serves every reader of the tenant, and a hash is a
// secret even though it is not the password.
const core::Event& Redacted(const core::Event& e, core::Event& scratch) {
  if (e.event_type != domain::users::kUserPasswordSet) return e;
  scratch = e;
  scratch.payload["passwordHash"] = "[redacted]";
  return scratch;
}

boost::json::array ToJson(const std::vector<core::EventPtr>& events) {
  boost::json::array items;
  items.reserve(events.size());
  core::Event scratch;
  for (const core::EventPtr& e : events) {
    items.push_back(core::EventToJson(Redacted(*e, scratch)));
  }
  return items;
}

Response ListEvents(store::EventStore& store, const Request& req) {
  const std::string& tenant = req.caller().tenant;
  auto after = IntQuery(req, "after", 0, INT64_MAX);
  auto limit = IntQuery(req, "limit", kDefaultEventPage, kMaxEventPage);
  auto patterns = TypePatterns(req);
  for (const core::Status& s :
       {after.status(), limit.status(), patterns.status()}) {
    if (!s.ok()) return ErrorResponse(s, req, ErrorStage::kDecoding);
  }
  const size_t max =
      *limit == 0 ? kDefaultEventPage : static_cast<size_t>(*limit);
  boost::json::object body;
  std::optional<std::string_view> stream = req.Query("stream");
  if (stream) {
    // One stream's events after a global position, in position order.
    auto events = store.ReadStream(tenant, *stream, 1, SIZE_MAX);
    if (!events.ok()) return ErrorResponse(events.status(), req);
    std::vector<core::EventPtr> page;
    auto matches = [&](const core::EventPtr& e) {
      if (e->position <= *after) return false;
      for (const std::string& p : *patterns) {
        auto pattern = core::TopicPattern::Parse(p);
        if (pattern.ok() && !pattern->Matches(e->event_type)) return false;
      }
      return true;
    };
    bool more = false;
    for (const core::EventPtr& e : *events) {
      if (!matches(e)) continue;
      if (page.size() == max) {
        more = true;
        break;
      }
      page.push_back(e);
    }
    body["items"] = ToJson(page);
    if (more) {
      body["next"] = page.back()->position;
    } else {
      body["next"] = nullptr;
    }
  } else {
    auto result = store.ReadAll(
        *after, max, store::ReadFilter::ForTenant(tenant, *patterns));
    if (!result.ok()) return ErrorResponse(result.status(), req);
    body["items"] = ToJson(result->events);
    if (result->events.size() == max) {
      body["next"] = result->last_scanned_position;
    } else {
      body["next"] = nullptr;
    }
  }
  return Response::Json(200, boost::json::serialize(body));
}

Response ReadStream(store::EventStore& store, const Request& req) {
  const std::string& tenant = req.caller().tenant;
  std::string_view name = req.PathParam("name");
  auto from = IntQuery(req, "from", 1, INT64_MAX);
  auto limit = IntQuery(req, "limit", kDefaultEventPage, kMaxEventPage);
  for (const core::Status& s : {from.status(), limit.status()}) {
    if (!s.ok()) return ErrorResponse(s, req, ErrorStage::kDecoding);
  }
  const size_t max =
      *limit == 0 ? kDefaultEventPage : static_cast<size_t>(*limit);
  auto version = store.StreamVersion(tenant, name);
  if (!version.ok()) return ErrorResponse(version.status(), req);
  auto events =
      store.ReadStream(tenant, name, std::max<int64_t>(*from, 1), max);
  if (!events.ok()) return ErrorResponse(events.status(), req);
  boost::json::object body;
  body["stream"] = name;
  body["version"] = *version;
  body["items"] = ToJson(*events);
  if (!events->empty() && events->back()->stream_version < *version) {
    body["next"] = events->back()->stream_version + 1;
  } else {
    body["next"] = nullptr;
  }
  return Response::Json(200, boost::json::serialize(body));
}

std::string SseFrame(const core::Event& event) {
  core::Event scratch;
  const core::Event& e = Redacted(event, scratch);
  std::string frame = "id: " + std::to_string(e.position) +
                      "\nevent: " + e.event_type + "\ndata: ";
  core::AppendEncodedEvent(e, frame);  // one line: JSON has no raw newlines
  frame += "\n\n";
  return frame;
}

// Keeps an SSE connection's store subscription alive until the client goes.
struct SseSession {
  std::mutex mu;
  std::unique_ptr<store::Subscription> subscription;  // guarded by mu
};

Response StreamEvents(store::EventStore& store, const Request& req) {
  const std::string& tenant = req.caller().tenant;
  auto patterns = TypePatterns(req);
  if (!patterns.ok()) {
    return ErrorResponse(patterns.status(), req, ErrorStage::kDecoding);
  }
  int64_t after = -1;
  if (std::optional<std::string_view> last = req.headers.Get("last-event-id")) {
    int64_t value = 0;
    auto [end, ec] =
        std::from_chars(last->data(), last->data() + last->size(), value);
    if (ec != std::errc() || end != last->data() + last->size() || value < 0) {
      return ErrorResponse(
          core::InvalidArgumentError("Last-Event-ID must be an event position"),
          req, ErrorStage::kDecoding);
    }
    after = value;
  } else {
    auto param = IntQuery(req, "after", -1, INT64_MAX);
    if (!param.ok()) {
      return ErrorResponse(param.status(), req, ErrorStage::kDecoding);
    }
    after = *param;
  }
  if (after < 0) {  // no resume point: only what happens from now on
    auto head = store.HeadPosition();
    if (!head.ok()) return ErrorResponse(head.status(), req);
    after = *head;
  }
  store::ReadFilter filter = store::ReadFilter::ForTenant(tenant, *patterns);
  return Response::Stream(
             200, "text/event-stream",
             [&store, after, filter = std::move(filter)](
                 const std::shared_ptr<ResponseStream>& out) {
               auto session = std::make_shared<SseSession>();
               out->Write(": stockpile event stream\n\n");
               auto sub = store.SubscribeAll(
                   after, filter,
                   [out](const core::EventPtr& e) -> core::Status {
                     if (!out->Write(SseFrame(*e))) {
                       return core::CancelledError("client went away");
                     }
                     return core::Status::Ok();
                   });
               if (!sub.ok()) {
                 out->Close();
                 return;
               }
               {
                 std::lock_guard<std::mutex> lock(session->mu);
                 session->subscription = std::move(sub).value();
               }
               out->OnClosed([session] {
                 std::unique_ptr<store::Subscription> running;
                 {
                   std::lock_guard<std::mutex> lock(session->mu);
                   running = std::move(session->subscription);
                 }
                 if (running) running->Stop();
               });
             })
      .WithHeader("Cache-Control", "no-cache")
      .WithHeader("X-Accel-Buffering", "no");
}

}  // namespace

void AddEventRoutes(Router& router, store::EventStore& store) {
  router.Add("GET", "/api/v1/events", Permission::kRead,
             [&store](const Request& req) { return ListEvents(store, req); });
  router.Add("GET", "/api/v1/events/stream", Permission::kRead,
             [&store](const Request& req) { return StreamEvents(store, req); });
  router.Add("GET", "/api/v1/streams/{name}", Permission::kRead,
             [&store](const Request& req) { return ReadStream(store, req); });
}

}  // namespace stockpile::api
