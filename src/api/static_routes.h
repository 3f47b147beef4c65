// The dashboard's files (web/), compiled into the binary and served without
// a token (DESIGN.md §7):
//
//   GET /                 index.html
//   GET /assets/{file}    any embedded file by its name, e.g. app.js
//
//   AddStaticRoutes(router, DashboardAssets());
//
// Nothing is read from the filesystem at runtime: a name that is not in the
// table (including anything with '/', '\\' or a leading '.') is 404.
//
// Caching: every response carries a strong ETag (the file's SHA-256, taken
// at build time) and `Cache-Control: no-cache`, so browsers revalidate on
// each load and get a bodyless 304 when If-None-Match matches. The asset
// names are not content-hashed, hence no long max-age: a new binary is
// picked up on the next reload, never a stale mix of old and new files.
#ifndef STOCKPILE_API_STATIC_ROUTES_H_
#define STOCKPILE_API_STATIC_ROUTES_H_

#include <span>
#include <string_view>

#include "api/router.h"

namespace stockpile::api {

// One embedded file. The views point at static storage.
struct StaticAsset {
  std::string_view name;     // "app.js": a file name, no directories
  std::string_view content;  // the bytes
  std::string_view sha256;   // lowercase hex of the content's SHA-256
};

// The files of web/, embedded at build time (the generated web_assets.cc).
std::span<const StaticAsset> DashboardAssets();

// The Content-Type for a file name, by its extension; unknown extensions
// are application/octet-stream.
std::string_view ContentTypeFor(std::string_view name);

// Registers GET / (the asset named index.html) and GET /assets/{file}.
// `assets` must outlive the router.
void AddStaticRoutes(Router& router, std::span<const StaticAsset> assets);

}  // namespace stockpile::api

#endif  // STOCKPILE_API_STATIC_ROUTES_H_
