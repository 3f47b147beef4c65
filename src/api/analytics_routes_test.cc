#include "api/analytics_routes.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>

#include "api/dispatcher.h"
#include "api/jwt_signer.h"
#include "api/jwt_verifier.h"
#include "core/time_format.h"

namespace stockpile::api {
namespace {

using std::chrono::seconds;

class AnalyticsRoutesTest : public ::testing::Test {
 protected:
  AnalyticsRoutesTest()
      : ids_(clock_),
        verifier_(*JwtVerifier::ForHs256Secret("k", clock_)),
        signer_(*JwtSigner::ForHs256Secret("k", clock_)),
        dispatcher_(router_, verifier_.get(), clock_) {
    AddAnalyticsRoutes(router_, AnalyticsApi{&view_});
  }

  void Given(const std::string& tenant, const std::string& type,
             boost::json::object payload, const std::string& at) {
    view_.Apply(core::EventBuilder(type)
                    .Aggregate("payment", "x")
                    .Tenant(tenant)
                    .Payload(std::move(payload))
                    .Timestamp(*core::ParseRfc3339Millis(at))
                    .BuildValue(ids_, clock_));
  }
  void Paid(const std::string& tenant, double amount, const std::string& at) {
    Given(tenant, "payment.succeeded",
          {{"paymentId", "p"},
           {"orderId", "o"},
           {"amount", amount},
           {"currency", "USD"}},
          at);
  }
  void Shipped(const std::string& product, int64_t quantity,
               const std::string& at) {
    Given("acme", "inventory.stock.committed",
          {{"orderId", "o"},
           {"lines", boost::json::array{{{"productId", product},
                                         {"locationId", "main"},
                                         {"quantity", quantity}}}}},
          at);
  }

  Response Get(const std::string& target, const std::string& tenant = "acme") {
    Request req;
    req.method = "GET";
    req.target = target;
    req.headers.Add("Authorization",
                    "Bearer " + *signer_->Sign({"u-1", tenant, Role::kViewer},
                                               seconds(60)));
    return dispatcher_.Dispatch(req);
  }
  static boost::json::array Items(const Response& r) {
    return boost::json::parse(r.body).at("items").as_array();
  }

  core::ManualClock clock_;
  core::UuidV7Generator ids_;
  domain::analytics::AnalyticsView view_;
  Router router_;
  std::unique_ptr<JwtVerifier> verifier_;
  std::unique_ptr<JwtSigner> signer_;
  Dispatcher dispatcher_;
};

TEST_F(AnalyticsRoutesTest, FiguresOfTheCallersTenantInTheRange) {
  Paid("acme", 7.5, "2026-11-30T10:15:00Z");
  Paid("acme", 2.25, "2026-12-01T09:00:00Z");
  Paid("acme", 1, "2026-12-02T23:59:59Z");
  Paid("globex", 100, "2026-12-01T09:00:00Z");
  Shipped("pen", 3, "2026-12-01T09:30:00Z");
  Shipped("ink", 9, "2026-12-01T10:00:00Z");
  Shipped("pen", 2, "2026-12-02T10:00:00Z");

  Response revenue =
      Get("/api/v1/analytics/revenue?from=2026-12-01&to=2026-12-03");
  ASSERT_EQ(revenue.status, 200) << revenue.body;
  auto days = Items(revenue);
  ASSERT_EQ(days.size(), 2u);
  EXPECT_EQ(days[0].at("date"), "2026-12-01");
  EXPECT_EQ(days[0].at("amountMinor"), 225);
  EXPECT_EQ(days[0].at("amount").to_number<double>(), 2.25);
  EXPECT_EQ(days[0].at("currency"), "USD");
  EXPECT_EQ(days[1].at("date"), "2026-12-02");
  EXPECT_EQ(Items(Get("/api/v1/analytics/revenue")).size(), 3u);

  auto hours =
      Items(Get("/api/v1/analytics/"
                "events?from=2026-12-01T09:00:00Z&to=2026-12-01T10:00:00Z"));
  ASSERT_EQ(hours.size(), 2u);
  EXPECT_EQ(hours[0].at("hour"), "2026-12-01T09:00:00.000Z");
  EXPECT_EQ(hours[0].at("eventType"), "inventory.stock.committed");
  EXPECT_EQ(hours[1].at("eventType"), "payment.succeeded");
  EXPECT_EQ(hours[1].at("count"), 1);

  auto top = Items(Get("/api/v1/analytics/top-products?limit=1"));
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(top[0].at("productId"), "ink");
  EXPECT_EQ(top[0].at("unitsSold"), 9);
  auto dec2 = Items(Get("/api/v1/analytics/top-products?from=2026-12-02"));
  ASSERT_EQ(dec2.size(), 1u);
  EXPECT_EQ(dec2[0].at("productId"), "pen");
  EXPECT_EQ(dec2[0].at("unitsSold"), 2);

  auto other = Items(Get("/api/v1/analytics/revenue", "globex"));
  ASSERT_EQ(other.size(), 1u);
  EXPECT_EQ(other[0].at("amountMinor"), 10000);
  EXPECT_TRUE(Items(Get("/api/v1/analytics/top-products", "globex")).empty());
}

TEST_F(AnalyticsRoutesTest, BadRangesAre400) {
  EXPECT_EQ(Get("/api/v1/analytics/revenue?from=yesterday").status, 400);
  EXPECT_EQ(Get("/api/v1/analytics/events?to=2026-02-30").status, 400);
  EXPECT_EQ(
      Get("/api/v1/analytics/events?from=2026-12-02&to=2026-12-01").status,
      400);
  EXPECT_EQ(Get("/api/v1/analytics/top-products?limit=0").status, 200);
  EXPECT_EQ(Get("/api/v1/analytics/top-products?limit=5000").status, 400);
  EXPECT_EQ(Get("/api/v1/analytics/top-products?limit=x").status, 400);
}

}  // namespace
}  // namespace stockpile::api
