#include "api/static_routes.h"

#include <gtest/gtest.h>

#include <string>

#include "api/dispatcher.h"
#include "core/clock.h"

namespace stockpile::api {
namespace {

constexpr StaticAsset kAssets[] = {
    {"index.html", "<!doctype html><title>t</title>",
     "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"},
    {"app.js", "console.log(1);",
     "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"},
    {"style.css", "body{}",
     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
};

class StaticRoutesTest : public ::testing::Test {
 protected:
  StaticRoutesTest() : dispatcher_(router_, nullptr, clock_, nullptr) {
    AddStaticRoutes(router_, kAssets);
  }

  Response Get(std::string target, std::string if_none_match = "") {
    Request req;
    req.method = "GET";
    req.target = std::move(target);
    if (!if_none_match.empty()) req.headers.Add("If-None-Match", if_none_match);
    return dispatcher_.Dispatch(req);
  }

  core::ManualClock clock_;
  Router router_;
  Dispatcher dispatcher_;
};

TEST_F(StaticRoutesTest, RootServesIndexHtmlWithoutAToken) {
  Response r = Get("/");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "<!doctype html><title>t</title>");
  EXPECT_EQ(r.headers.Get("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(r.headers.Get("Cache-Control"), "no-cache");
  EXPECT_TRUE(r.headers.Has("Content-Security-Policy"));
}

TEST_F(StaticRoutesTest, AssetsCarryTheirContentType) {
  Response js = Get("/assets/app.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.body, "console.log(1);");
  EXPECT_EQ(js.headers.Get("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(js.headers.Get("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(Get("/assets/style.css").headers.Get("Content-Type"),
            "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("logo.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeFor("data.bin"), "application/octet-stream");
}

TEST_F(StaticRoutesTest, EtagIsTheContentHashAndIfNoneMatchGives304) {
  Response first = Get("/assets/app.js");
  const std::string etag = "\"ffeeddccbbaa99887766554433221100\"";
  EXPECT_EQ(first.headers.Get("ETag"), etag);

  Response again = Get("/assets/app.js", etag);
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(again.headers.Get("ETag"), etag);
  EXPECT_FALSE(again.headers.Has("Content-Type"));

  EXPECT_EQ(Get("/assets/app.js", "\"other\", W/" + etag).status, 304);
  EXPECT_EQ(Get("/assets/app.js", "*").status, 304);
  EXPECT_EQ(Get("/assets/app.js", "\"other\"").status, 200);
  // Another file's tag does not match.
  EXPECT_EQ(Get("/assets/style.css", etag).status, 200);
}

TEST_F(StaticRoutesTest, UnknownAssetIs404Problem) {
  Response r = Get("/assets/missing.js");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.headers.Get("Content-Type"), "application/problem+json");
}

TEST_F(StaticRoutesTest, PathTraversalNeverEscapesTheTable) {
  for (const char* target :
       {"/assets/../CMakeLists.txt", "/assets/..%2F..%2Fetc%2Fpasswd",
        "/assets/%2e%2e%2fREADME.md", "/assets/.hidden", "/assets/a%5Cb",
        "/assets/%2Fetc%2Fpasswd", "/assets/sub/app.js", "/../index.html"}) {
    EXPECT_EQ(Get(target).status, 404) << target;
  }
}

TEST(DashboardAssetsTest, EmbedsTheDashboardFromWeb) {
  bool has_index = false;
  for (const StaticAsset& asset : DashboardAssets()) {
    EXPECT_EQ(asset.sha256.size(), 64u) << asset.name;
    EXPECT_FALSE(asset.content.empty()) << asset.name;
    if (asset.name == "index.html") {
      has_index = true;
      EXPECT_NE(asset.content.find("<title>Stockpile"), std::string::npos);
    }
  }
  EXPECT_TRUE(has_index);
}

}  // namespace
}  // namespace stockpile::api
