#include "api/router.h"

#include <algorithm>
#include <utility>

#include "api/uri.h"
#include "core/check.h"
#include "core/status_macros.h"

namespace stockpile::api {
namespace {

// Splits "/a/b" into {"a", "b"}; "/" into {""}.
std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.empty() || path.front() != '/') return out;
  path.remove_prefix(1);
  while (true) {
    const size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

}  // namespace

void Router::Add(std::string_view method, std::string_view path_template,
                 Permission permission, Handler handler) {
  AddRoute(method, path_template, permission, std::move(handler));
}

void Router::AddPublic(std::string_view method, std::string_view path_template,
                       Handler handler) {
  AddRoute(method, path_template, std::nullopt, std::move(handler));
}

void Router::AddRoute(std::string_view method, std::string_view path_template,
                      std::optional<Permission> permission, Handler handler) {
  CHECK(!method.empty()) << "route without a method: " << path_template;
  CHECK(handler != nullptr) << "route without a handler: " << path_template;
  CHECK(!path_template.empty() && path_template.front() == '/')
      << "route template must start with '/': " << path_template;
  Route route;
  route.info = {std::string(method), std::string(path_template), permission};
  route.handler = std::move(handler);
  const std::vector<std::string_view> parts = SplitPath(path_template);
  for (std::string_view part : parts) {
    const bool is_param =
        part.size() >= 2 && part.front() == '{' && part.back() == '}';
    if (is_param) part = part.substr(1, part.size() - 2);
    CHECK(!part.empty() || (parts.size() == 1 && !is_param))
        << "empty segment in route template " << path_template;
    CHECK(part.find_first_of("{}") == std::string_view::npos)
        << "malformed parameter in route template " << path_template;
    route.segments.push_back({is_param, std::string(part)});
  }
  for (const Route& other : routes_) {
    CHECK(!(other.info.method == method &&
            other.info.path_template == path_template))
        << "duplicate route " << method << " " << path_template;
  }
  routes_.push_back(std::move(route));
}

bool Router::Matches(const Route& route,
                     const std::vector<std::string_view>& segments) {
  if (route.segments.size() != segments.size()) return false;
  for (size_t i = 0; i < segments.size(); ++i) {
    const Segment& s = route.segments[i];
    if (s.is_param ? segments[i].empty() : s.text != segments[i]) return false;
  }
  return true;
}

bool Router::MoreSpecific(const Route& a, const Route& b) {
  for (size_t i = 0; i < a.segments.size(); ++i) {
    if (a.segments[i].is_param != b.segments[i].is_param) {
      return !a.segments[i].is_param;
    }
  }
  return false;
}

core::Result<RouteMatch> Router::Match(std::string_view method,
                                       std::string_view path) const {
  const std::vector<std::string_view> segments = SplitPath(path);
  RouteMatch match;
  const Route* best = nullptr;
  bool any_method = false;
  for (const Route& route : routes_) {
    if (!Matches(route, segments)) continue;
    any_method = true;
    if (route.info.method != method) continue;
    if (best == nullptr || MoreSpecific(route, *best)) best = &route;
  }
  if (!any_method) return match;  // kNotFound
  if (best == nullptr) {
    match.outcome = RouteMatch::Outcome::kMethodNotAllowed;
    for (const Route& route : routes_) {
      if (Matches(route, segments)) {
        match.allowed_methods.push_back(route.info.method);
      }
    }
    std::sort(match.allowed_methods.begin(), match.allowed_methods.end());
    match.allowed_methods.erase(
        std::unique(match.allowed_methods.begin(), match.allowed_methods.end()),
        match.allowed_methods.end());
    return match;
  }
  for (size_t i = 0; i < segments.size(); ++i) {
    if (!best->segments[i].is_param) continue;
    ASSIGN_OR_RETURN(std::string value, PercentDecode(segments[i]));
    match.path_params.emplace_back(best->segments[i].text, std::move(value));
  }
  match.outcome = RouteMatch::Outcome::kFound;
  match.route = &best->info;
  match.handler = &best->handler;
  return match;
}

std::vector<RouteInfo> Router::Routes() const {
  std::vector<RouteInfo> out;
  out.reserve(routes_.size());
  for (const Route& route : routes_) out.push_back(route.info);
  return out;
}

}  // namespace stockpile::api
