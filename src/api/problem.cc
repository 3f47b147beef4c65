#include "api/problem.h"

#include <utility>

#include "core/json_text.h"

namespace stockpile::api {
namespace {

struct StatusInfo {
  int status;
  std::string_view slug;
  std::string_view reason;
};

constexpr StatusInfo kStatuses[] = {
    {400, "malformed-request", "Bad Request"},
    {401, "unauthenticated", "Unauthorized"},
    {403, "forbidden", "Forbidden"},
    {404, "not-found", "Not Found"},
    {405, "method-not-allowed", "Method Not Allowed"},
    {408, "request-timeout", "Request Timeout"},
    {409, "conflict", "Conflict"},
    {413, "payload-too-large", "Content Too Large"},
    {415, "unsupported-media-type", "Unsupported Media Type"},
    {422, "validation-failed", "Unprocessable Content"},
    {429, "too-many-requests", "Too Many Requests"},
    {431, "headers-too-large", "Request Header Fields Too Large"},
    {499, "cancelled", "Client Closed Request"},
    {500, "internal", "Internal Server Error"},
    {501, "not-implemented", "Not Implemented"},
    {503, "unavailable", "Service Unavailable"},
    {504, "timeout", "Gateway Timeout"},
};

const StatusInfo* Find(int status) {
  for (const StatusInfo& info : kStatuses) {
    if (info.status == status) return &info;
  }
  return nullptr;
}

// Problem text may quote client input; keep the JSON valid UTF-8 whatever
// the client sent by replacing each invalid byte with '?'.
void AppendSafeJsonString(std::string_view text, std::string& out) {
  if (core::FindInvalidUtf8(text) == std::string_view::npos) {
    core::AppendJsonString(text, out);
    return;
  }
  std::string copy(text);
  for (size_t bad = core::FindInvalidUtf8(copy); bad != std::string::npos;
       bad = core::FindInvalidUtf8(copy)) {
    copy[bad] = '?';
  }
  core::AppendJsonString(copy, out);
}

}  // namespace

std::string_view HttpReasonPhrase(int http_status) {
  const StatusInfo* info = Find(http_status);
  return info ? info->reason : "Unknown";
}

Problem MakeProblem(int http_status, std::string detail, std::string instance) {
  const StatusInfo* info = Find(http_status);
  Problem p;
  p.type = "urn:stockpile:problem:";
  p.type += info ? info->slug : "error";
  p.title = std::string(info ? info->reason : "Error");
  p.status = http_status;
  p.detail = std::move(detail);
  p.instance = std::move(instance);
  return p;
}

std::string ProblemJson(const Problem& problem) {
  std::string out = "{\"type\":";
  core::AppendJsonString(problem.type, out);
  out += ",\"title\":";
  core::AppendJsonString(problem.title, out);
  out += ",\"status\":";
  out += std::to_string(problem.status);
  out += ",\"detail\":";
  AppendSafeJsonString(problem.detail, out);
  if (!problem.instance.empty()) {
    out += ",\"instance\":";
    AppendSafeJsonString(problem.instance, out);
  }
  out += '}';
  return out;
}

Response ProblemResponse(const Problem& problem) {
  return Response::Text(problem.status, ProblemJson(problem),
                        kProblemContentType);
}

}  // namespace stockpile::api
