// ApiServerFixture: a real `stockpile serve` (Application) on an ephemeral
// 127.0.0.1 port with a SQLite store in a temporary data directory, and a
// blocking client to call it with a token of any tenant and role. For the
// app's HTTP tests (business_api_test.cc, notification_api_test.cc).
//
//   class FooApiTest : public ApiServerFixture {};
//   TEST_F(FooApiTest, X) { Reply r = Call("GET", "/api/v1/products"); }
//
// Thread-safety: a fixture belongs to its test's thread.
#ifndef STOCKPILE_APP_API_SERVER_FIXTURE_H_
#define STOCKPILE_APP_API_SERVER_FIXTURE_H_

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "api/jwt_signer.h"
#include "api/test_http_client.h"
#include "app/application.h"
#include "app/jwt_secret.h"
#include "app/openapi_document.h"

namespace stockpile::app {

struct Reply {
  int status = 0;
  boost::json::value body;
  api::Headers headers;
};

class ApiServerFixture : public ::testing::Test {
 protected:
  // Set config_ fields before calling StartServer() again to change them.
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("stockpile-api-test-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    config_.http_port = 0;
    config_.data_dir = dir_.string();
    config_.store = "sqlite";
    config_.log_level = "warn";
    StartServer();
    admin_ = Token("acme", api::Role::kAdmin);
  }
  void TearDown() override {
    app_.reset();
    std::filesystem::remove_all(dir_);
  }

  void StartServer() {
    app_.reset();
    auto app = Application::Start(
        config_,
        [](const std::string&) { return std::optional<std::string>(); }, clock_,
        std::string(OpenApiDocument()));
    ASSERT_TRUE(app.ok()) << app.status();
    app_ = std::move(app).value();
  }

  std::string Token(const std::string& tenant, api::Role role) {
    auto secret = LoadJwtSecret(
        dir_.string(),
        [](const std::string&) { return std::optional<std::string>(); },
        /*create=*/false);
    EXPECT_TRUE(secret.ok()) << secret.status();
    auto signer = api::JwtSigner::ForHs256Secret(*secret, clock_);
    EXPECT_TRUE(signer.ok());
    return *(*signer)->Sign({"u-1", tenant, role}, std::chrono::seconds(600));
  }

  Reply Call(const std::string& method, const std::string& target,
             const std::string& body = "", const std::string& token = "",
             const std::string& idempotency_key = "") {
    api::TestHttpClient client(app_->http_port());
    api::Headers headers;
    headers.Add("Authorization", "Bearer " + (token.empty() ? admin_ : token));
    if (!body.empty()) headers.Add("Content-Type", "application/json");
    if (!idempotency_key.empty()) {
      headers.Add("Idempotency-Key", idempotency_key);
    }
    auto r = client.Send(method, target, body, headers);
    EXPECT_TRUE(r.ok()) << r.status();
    Reply out;
    if (!r.ok()) return out;
    out.status = r->status;
    out.headers = r->headers;
    if (!r->body.empty()) {
      boost::system::error_code ec;
      out.body = boost::json::parse(r->body, ec);
      EXPECT_FALSE(ec) << r->body;
    }
    return out;
  }

  // A product `id` (price 2.50, reorder point `reorder_point`) with `stock`
  // units received at main.
  void CreateProduct(const std::string& id, int stock,
                     const std::string& token = "", int reorder_point = 1) {
    Reply p = Call("POST", "/api/v1/products",
                   R"({"id":")" + id + R"(","sku":"SKU-)" + id +
                       R"(","name":"Product )" + id +
                       R"(","price":2.5,"reorderPoint":)" +
                       std::to_string(reorder_point) + "}",
                   token);
    ASSERT_EQ(p.status, 201) << p.body;
    if (stock > 0) {
      Reply r = Call("POST", "/api/v1/inventory/receipts",
                     R"({"productId":")" + id + R"(","quantity":)" +
                         std::to_string(stock) + "}",
                     token);
      ASSERT_EQ(r.status, 201) << r.body;
    }
  }

  std::filesystem::path dir_;
  ServeConfig config_;
  core::SystemClock clock_;
  std::unique_ptr<Application> app_;
  std::string admin_;
};

}  // namespace stockpile::app

#endif  // STOCKPILE_APP_API_SERVER_FIXTURE_H_
