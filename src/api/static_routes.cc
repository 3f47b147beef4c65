#include "api/static_routes.h"

#include <string>

#include "api/status_http.h"

namespace stockpile::api {
namespace {

// The dashboard renders event payloads sent by clients; the policy keeps
// any markup that slips into them from running scripts or loading content.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; img-src 'self' data:; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

// If-None-Match uses the weak comparison (RFC 9110 §13.1.2): W/ is ignored.
bool IfNoneMatchHits(std::string_view header, std::string_view etag) {
  while (!header.empty()) {
    const size_t comma = header.find(',');
    std::string_view tag = Trim(header.substr(0, comma));
    if (tag == "*") return true;
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    if (tag == etag) return true;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

const StaticAsset* Find(std::span<const StaticAsset> assets,
                        std::string_view name) {
  if (name.empty() || name.front() == '.' ||
      name.find_first_of("/\\") != std::string_view::npos) {
    return nullptr;
  }
  for (const StaticAsset& asset : assets) {
    if (asset.name == name) return &asset;
  }
  return nullptr;
}

Response Serve(const StaticAsset* asset, const Request& req) {
  if (asset == nullptr) {
    return ErrorResponse(core::NotFoundError("no such dashboard file"), req);
  }
  const std::string etag =
      "\"" + std::string(asset->sha256.substr(0, 32)) + "\"";
  std::optional<std::string_view> if_none_match =
      req.headers.Get("if-none-match");
  Response response;
  if (if_none_match && IfNoneMatchHits(*if_none_match, etag)) {
    response.status = 304;
  } else {
    response.status = 200;
    response.body = std::string(asset->content);
    response.headers.Add("Content-Type", ContentTypeFor(asset->name));
  }
  response.headers.Add("ETag", etag);
  response.headers.Add("Cache-Control", "no-cache");
  response.headers.Add("X-Content-Type-Options", "nosniff");
  if (ContentTypeFor(asset->name).starts_with("text/html")) {
    response.headers.Add("Content-Security-Policy", kContentSecurityPolicy);
  }
  return response;
}

}  // namespace

std::string_view ContentTypeFor(std::string_view name) {
  struct Type {
    std::string_view extension;
    std::string_view content_type;
  };
  static constexpr Type kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"},
  };
  for (const Type& type : kTypes) {
    if (name.ends_with(type.extension)) return type.content_type;
  }
  return "application/octet-stream";
}

void AddStaticRoutes(Router& router, std::span<const StaticAsset> assets) {
  router.AddPublic("GET", "/", [assets](const Request& req) {
    return Serve(Find(assets, "index.html"), req);
  });
  router.AddPublic("GET", "/assets/{file}", [assets](const Request& req) {
    return Serve(Find(assets, req.PathParam("file")), req);
  });
}

}  // namespace stockpile::api
