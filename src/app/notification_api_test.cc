// Alerts and webhooks over HTTP against a real server (SQLite store): an
// alert raised by a real low-stock crossing, listed and resolved; webhooks
// registered, listed without their secret and deleted; a failing endpoint
// parked in the dead letters and redriven from the API; bad input, roles
// and tenant isolation.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "app/api_server_fixture.h"
#include "domain/notifications/test_http_receiver.h"
#include "domain/notifications/test_smtp_sink.h"

namespace stockpile::app {
namespace {

using domain::testing::TestHttpReceiver;

class NotificationApiTest : public ApiServerFixture {
 protected:
  // Polls GET `target` until `done` holds for its body; gives up after 20 s.
  Reply WaitFor(const std::string& target,
                const std::function<bool(const boost::json::value&)>& done,
                const std::string& token = "") {
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(20);
    Reply r;
    while (std::chrono::steady_clock::now() < deadline) {
      r = Call("GET", target, "", token);
      if (r.status == 200 && done(r.body)) return r;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "gave up waiting for " << target << ": " << r.body;
    return r;
  }
  static size_t Items(const boost::json::value& body) {
    return body.at("items").as_array().size();
  }
};

TEST_F(NotificationApiTest, LowStockRaisesAnAlertThatIsResolvedByHandOnce) {
  CreateProduct("p-1", 10, "", /*reorder_point=*/5);
  Reply adjusted = Call("POST", "/api/v1/inventory/adjustments",
                        R"({"productId":"p-1","delta":-7,"reason":"damage"})");
  ASSERT_EQ(adjusted.status, 201) << adjusted.body;
  const std::string viewer = Token("acme", api::Role::kViewer);
  Reply open = WaitFor(
      "/api/v1/alerts?resolved=false",
      [](const boost::json::value& b) { return Items(b) == 1; }, viewer);
  const boost::json::value alert = open.body.at("items").at(0);
  EXPECT_EQ(alert.at("productId"), "p-1");
  EXPECT_EQ(alert.at("locationId"), "main");
  EXPECT_EQ(alert.at("alertType"), "low_stock");
  EXPECT_EQ(alert.at("severity"), "info");  // 3 left of 5
  EXPECT_EQ(alert.at("isResolved"), false);
  EXPECT_TRUE(alert.at("createdAt").is_string());
  const std::string id(alert.at("id").as_string());

  // Another tenant sees nothing and cannot resolve it.
  const std::string globex = Token("globex", api::Role::kAdmin);
  EXPECT_EQ(Items(Call("GET", "/api/v1/alerts", "", globex).body), 0u);
  EXPECT_EQ(
      Call("POST", "/api/v1/alerts/" + id + "/resolve", "{}", globex).status,
      404);
  EXPECT_EQ(Call("POST", "/api/v1/alerts/" + id + "/resolve", "{}",
                 Token("acme", api::Role::kClerk))
                .status,
            403);
  Reply resolved = Call("POST", "/api/v1/alerts/" + id + "/resolve", "{}",
                        Token("acme", api::Role::kManager));
  ASSERT_EQ(resolved.status, 200) << resolved.body;
  EXPECT_EQ(resolved.body.at("isResolved"), true);
  EXPECT_EQ(resolved.body.at("resolvedBy"), "u-1");
  EXPECT_EQ(Call("POST", "/api/v1/alerts/" + id + "/resolve", "{}").status,
            409);
  WaitFor("/api/v1/alerts?resolved=true",
          [](const boost::json::value& b) { return Items(b) == 1; });
  EXPECT_EQ(Items(Call("GET", "/api/v1/alerts?resolved=false").body), 0u);
  EXPECT_EQ(Call("GET", "/api/v1/alerts?resolved=maybe").status, 400);
  EXPECT_EQ(Call("POST", "/api/v1/alerts/nope/resolve", "{}").status, 422);
  EXPECT_EQ(
      Call("POST", "/api/v1/alerts/low_stock.p-9@main.1/resolve", "{}").status,
      404);
}

TEST_F(NotificationApiTest, WebhooksAreAdminOnlyPerTenantAndNeverShowSecrets) {
  const std::string body =
      R"({"url":"http://127.0.0.1:9/hook","events":["order.*"],)"
      R"("secret":"top-secret"})";
  EXPECT_EQ(
      Call("POST", "/api/v1/webhooks", body, Token("acme", api::Role::kManager))
          .status,
      403);
  EXPECT_EQ(
      Call("GET", "/api/v1/webhooks", "", Token("acme", api::Role::kViewer))
          .status,
      403);
  for (const char* bad :
       {R"({"url":"https://example.com/h","events":["#"],"secret":"s"})",
        R"({"url":"example.com","events":["#"],"secret":"s"})",
        R"({"url":"http://h/","events":"order.*","secret":"s"})",
        R"({"url":"http://h/","events":[],"secret":"s"})",
        R"({"url":"http://h/","events":[7],"secret":"s"})",
        R"({"url":"http://h/","events":["Order.*"],"secret":"s"})",
        R"({"url":"http://h/","events":["#"]})",
        R"({"events":["#"],"secret":"s"})"}) {
    Reply r = Call("POST", "/api/v1/webhooks", bad);
    EXPECT_EQ(r.status, 422) << bad << " " << r.body;
    EXPECT_EQ(r.headers.Get("Content-Type").value_or(""),
              "application/problem+json");
  }
  EXPECT_EQ(Call("POST", "/api/v1/webhooks", "{\"url\":").status, 400);

  Reply created = Call("POST", "/api/v1/webhooks", body);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id(created.body.at("id").as_string());
  EXPECT_EQ(created.headers.Get("Location").value_or(""),
            "/api/v1/webhooks/" + id);
  EXPECT_FALSE(created.body.as_object().contains("secret"));
  Reply list = WaitFor("/api/v1/webhooks", [](const boost::json::value& b) {
    return Items(b) == 1;
  });
  EXPECT_EQ(list.body.at("items").at(0).at("url"), "http://127.0.0.1:9/hook");
  EXPECT_EQ(boost::json::serialize(list.body).find("top-secret"),
            std::string::npos);

  const std::string globex = Token("globex", api::Role::kAdmin);
  EXPECT_EQ(Items(Call("GET", "/api/v1/webhooks", "", globex).body), 0u);
  EXPECT_EQ(Call("DELETE", "/api/v1/webhooks/" + id, "", globex).status, 404);
  EXPECT_EQ(Call("DELETE", "/api/v1/webhooks/" + id).status, 204);
  EXPECT_EQ(Call("DELETE", "/api/v1/webhooks/" + id).status, 404);
  WaitFor("/api/v1/webhooks",
          [](const boost::json::value& b) { return Items(b) == 0; });
}

TEST_F(NotificationApiTest, AFailingWebhookIsParkedAndARedriveDeliversItOnce) {
  config_.retry = {.max_attempts = 3,
                   .base_delay = std::chrono::milliseconds(5),
                   .max_delay = std::chrono::milliseconds(20)};
  StartServer();
  TestHttpReceiver hook("s3cret", {500, 502, 503, 200});
  Reply created = Call("POST", "/api/v1/webhooks",
                       R"({"url":")" + hook.url() +
                           R"(","events":["catalog.product.created"],)"
                           R"("secret":"s3cret"})");
  ASSERT_EQ(created.status, 201) << created.body;
  WaitFor("/api/v1/webhooks",
          [](const boost::json::value& b) { return Items(b) == 1; });
  CreateProduct("p-1", 0);

  Reply dlq = WaitFor("/api/v1/dlq", [](const boost::json::value& b) {
    for (const auto& d : b.at("items").as_array()) {
      if (d.at("subscription") == "notifications.webhooks" &&
          d.at("attempts") == 3) {
        return true;
      }
    }
    return false;
  });
  std::string dead_letter;
  for (const auto& d : dlq.body.at("items").as_array()) {
    if (d.at("subscription") == "notifications.webhooks") {
      dead_letter = std::string(d.at("id").as_string());
      EXPECT_NE(std::string(d.at("error").as_string()).find("HTTP 503"),
                std::string::npos)
          << d;
    }
  }
  ASSERT_EQ(hook.requests().size(), 3u);
  ASSERT_TRUE(hook.WaitForAnswered(3));
  Reply redrive = Call("POST", "/api/v1/dlq/" + dead_letter + "/redrive", "{}");
  ASSERT_EQ(redrive.status, 200) << redrive.body;
  WaitFor("/api/v1/events?type=notification.sent",
          [&](const boost::json::value& b) {
            for (const auto& e : b.at("items").as_array()) {
              if (e.at("payload").at("channel") == "webhook") return true;
            }
            return false;
          });
  const auto received = hook.WaitForRequests(4);
  ASSERT_EQ(received.size(), 4u);
  EXPECT_TRUE(received[3].signature_valid) << received[3].signature;
  auto event = boost::json::parse(received[3].body);
  EXPECT_EQ(event.at("type"), "catalog.product.created");
  EXPECT_EQ(event.at("data").at("productId"), "p-1");
  WaitFor("/api/v1/dlq", [](const boost::json::value& b) {
    for (const auto& d : b.at("items").as_array()) {
      if (d.at("subscription") == "notifications.webhooks") return false;
    }
    return true;
  });
}

TEST_F(NotificationApiTest, WithAnSmtpRelayEveryAlertIsMailed) {
  domain::testing::TestSmtpSink sink;
  config_.smtp_host = "127.0.0.1";
  config_.smtp_port = sink.port();
  config_.alert_email = {"ops@example.com"};
  StartServer();
  CreateProduct("p-1", 10, "", /*reorder_point=*/5);
  ASSERT_EQ(Call("POST", "/api/v1/inventory/adjustments",
                 R"({"productId":"p-1","delta":-10,"reason":"damage"})")
                .status,
            201);
  WaitFor("/api/v1/events?type=notification.sent",
          [](const boost::json::value& b) {
            for (const auto& e : b.at("items").as_array()) {
              if (e.at("payload").at("channel") == "email") return true;
            }
            return false;
          });
  const auto mails = sink.mails();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].to, std::vector<std::string>{"ops@example.com"});
  EXPECT_NE(mails[0].data.find("critical low_stock: p-1 at main: 0 available"),
            std::string::npos)
      << mails[0].data;
}

}  // namespace
}  // namespace stockpile::app
