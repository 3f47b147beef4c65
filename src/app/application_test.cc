#include "app/application.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <thread>

#include "api/jwt_signer.h"
#include "app/demo_data.h"
#include "app/jwt_secret.h"
#include "app/openapi_document.h"

namespace stockpile::app {
namespace {

// One HTTP/1.1 request over a fresh connection; returns the raw response.
std::string HttpGet(uint16_t port, const std::string& target,
                    const std::string& token = "") {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  EXPECT_GE(fd, 0);
  timeval timeout{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return "";
  }
  std::string request =
      "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  if (!token.empty()) request += "Authorization: Bearer " + token + "\r\n";
  request += "\r\n";
  EXPECT_EQ(::send(fd, request.data(), request.size(), 0),
            static_cast<ssize_t>(request.size()));
  std::string response;
  char buf[4096];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof(buf), 0)) > 0;) {
    response.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return response;
}

class ApplicationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("stockpile-app-test-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    config_.http_port = 0;
    config_.data_dir = dir_.string();
    config_.store = "sqlite";
    config_.log_level = "warn";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  Environment NoEnv() {
    return [](const std::string&) { return std::optional<std::string>(); };
  }

  std::filesystem::path dir_;
  ServeConfig config_;
  core::SystemClock clock_;
};

TEST_F(ApplicationTest, ServesHealthMetricsOpenApiAndTheEventLog) {
  auto app = Application::Start(config_, NoEnv(), clock_,
                                std::string(OpenApiDocument()));
  ASSERT_TRUE(app.ok()) << app.status();
  const uint16_t port = (*app)->http_port();

  EXPECT_NE(HttpGet(port, "/health").find("\"status\":\"ok\""),
            std::string::npos);
  std::string services = HttpGet(port, "/health/services");
  EXPECT_NE(services.find("HTTP/1.1 200"), std::string::npos) << services;
  EXPECT_NE(services.find("\"store\""), std::string::npos) << services;
  EXPECT_NE(HttpGet(port, "/openapi.json").find("\"openapi\""),
            std::string::npos);

  // No token: 401. A token minted from the secret serve created: 200.
  EXPECT_NE(HttpGet(port, "/api/v1/events").find("HTTP/1.1 401"),
            std::string::npos);
  auto secret = LoadJwtSecret(dir_.string(), NoEnv(), /*create=*/false);
  ASSERT_TRUE(secret.ok()) << secret.status();
  auto signer = api::JwtSigner::ForHs256Secret(*secret, clock_);
  ASSERT_TRUE(signer.ok());
  std::string token = *(*signer)->Sign({"u-1", "demo", api::Role::kViewer},
                                       std::chrono::seconds(60));
  std::string events = HttpGet(port, "/api/v1/events", token);
  EXPECT_NE(events.find("HTTP/1.1 200"), std::string::npos) << events;
  EXPECT_NE(events.find("\"items\":[]"), std::string::npos) << events;

  std::string metrics = HttpGet(port, "/metrics");
  EXPECT_NE(metrics.find("stockpile_http_requests_total{method=\"GET\","
                         "route=\"/api/v1/events\",status=\"200\"} 1"),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("stockpile_http_request_duration_seconds_bucket"),
            std::string::npos);
  // DESIGN.md §7's series of the subscriptions, sagas and the log.
  for (const char* series :
       {"stockpile_subscription_lag_events{subscription=\"orders.fulfilment\"}",
        "stockpile_dead_letters{subscription=\"inventory.reservations\"} 0",
        "stockpile_subscription_processed_total{subscription=",
        "stockpile_saga_steps_total{saga=\"orders.fulfilment\"}"}) {
    EXPECT_NE(metrics.find(series), std::string::npos) << series << "\n"
                                                       << metrics;
  }
  // An append is counted by type once the log's subscription has seen it.
  core::UuidV7Generator ids(clock_);
  ASSERT_TRUE((*app)
                  ->store()
                  .Append("demo", "order-1", store::ExpectedVersion::NoStream(),
                          {core::EventBuilder("order.created")
                               .Aggregate("order", "1")
                               .Tenant("demo")
                               .BuildValue(ids, clock_)})
                  .ok());
  const std::string appended =
      "stockpile_events_appended_total{type=\"order.created\"} 1";
  for (int i = 0; i < 500; ++i) {
    metrics = HttpGet(port, "/metrics");
    if (metrics.find(appended) != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_NE(metrics.find(appended), std::string::npos) << metrics;
  (*app)->Stop();
}

TEST_F(ApplicationTest, KeepsItsSecretAndEventsAcrossRestarts) {
  std::string first_secret;
  {
    auto app = Application::Start(config_, NoEnv(), clock_, "{}");
    ASSERT_TRUE(app.ok()) << app.status();
    first_secret = *LoadJwtSecret(dir_.string(), NoEnv(), false);
    core::UuidV7Generator ids(clock_);
    auto appended = (*app)->store().Append("demo", "order-1",
                                           store::ExpectedVersion::NoStream(),
                                           {core::EventBuilder("order.created")
                                                .Aggregate("order", "1")
                                                .Tenant("demo")
                                                .BuildValue(ids, clock_)});
    ASSERT_TRUE(appended.ok()) << appended.status();
  }
  auto app = Application::Start(config_, NoEnv(), clock_, "{}");
  ASSERT_TRUE(app.ok()) << app.status();
  EXPECT_EQ(*LoadJwtSecret(dir_.string(), NoEnv(), false), first_secret);
  auto version = (*app)->store().StreamVersion("demo", "order-1");
  ASSERT_TRUE(version.ok()) << version.status();
  EXPECT_EQ(*version, 1);
}

TEST_F(ApplicationTest, RefusesToStartOnABadStoreOrATakenPort) {
  config_.store = "postgres://nobody@127.0.0.1:1/none";
  auto no_db = Application::Start(config_, NoEnv(), clock_, "{}");
  ASSERT_FALSE(no_db.ok());
  EXPECT_NE(no_db.status().message().find("opening the event store"),
            std::string::npos)
      << no_db.status();

  config_.store = "memory";
  auto first = Application::Start(config_, NoEnv(), clock_, "{}");
  ASSERT_TRUE(first.ok()) << first.status();
  config_.http_port = (*first)->http_port();
  auto second = Application::Start(config_, NoEnv(), clock_, "{}");
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("listening on"), std::string::npos)
      << second.status();
}

TEST_F(ApplicationTest, DemoDataLoadsOnceAndSettlesOrders) {
  auto app = Application::Start(config_, NoEnv(), clock_,
                                std::string(OpenApiDocument()));
  ASSERT_TRUE(app.ok()) << app.status();
  auto first = LoadDemoData((*app)->domain());
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->products_created, 20);
  auto again = LoadDemoData((*app)->domain());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->products_created, 0);
  EXPECT_EQ(again->products_total, 20);
  auto inv = (*app)->domain().inventory().GetInventory("demo", "product-001");
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->on_hand, 55);  // 40 main + 15 east, received once

  // The two products that start low got one purchase order each, also
  // after the second load: oat drink's awaits approval, toothpaste's is
  // under its rule's limit.
  const auto* orders = (*app)->domain().purchasing_api().orders;
  const std::map<std::string, std::string> expected = {
      {"product-004", "pending"}, {"product-014", "approved"}};
  std::map<std::string, std::string> status;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (status != expected && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    int64_t next = 0;
    status.clear();
    for (const auto& po : orders->Newest("demo", 0, 10, {}, &next)) {
      status[po.lines.at(0).product_id] = po.status;
    }
  }
  EXPECT_EQ(status, expected);
  EXPECT_EQ(orders->Size("demo"), 2u);
}

}  // namespace
}  // namespace stockpile::app
