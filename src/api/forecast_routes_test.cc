#include "api/forecast_routes.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>

#include "api/dispatcher.h"
#include "api/jwt_signer.h"
#include "api/jwt_verifier.h"
#include "domain/common/calendar_day.h"
#include "store/in_memory_event_store.h"

namespace stockpile::api {
namespace {

using std::chrono::seconds;
namespace common = domain::common;

// A product p-1 that shipped 5 units a day for the last 30 days, and the
// forecast routes over it.
class ForecastRoutesTest : public ::testing::Test {
 protected:
  ForecastRoutesTest()
      : store_(store::MakeInMemoryEventStore()),
        ids_(clock_),
        deps_{.store = store_.get(), .ids = &ids_, .clock = &clock_},
        catalog_(deps_),
        forecasts_(deps_, catalog_, history_),
        verifier_(*JwtVerifier::ForHs256Secret("k", clock_)),
        signer_(*JwtSigner::ForHs256Secret("k", clock_)),
        dispatcher_(router_, verifier_.get(), clock_) {
    AddForecastRoutes(router_, ForecastApi{&forecasts_});
  }

  void SetUp() override {
    ASSERT_TRUE(
        catalog_
            .CreateProduct(
                {.tenant = "acme"},
                {.id = "p-1", .sku = "S-1", .name = "Pen", .price_minor = 100})
            .ok());
    const int64_t today = common::DayOf(clock_.NowMillis());
    for (int64_t day = today - 30; day < today; ++day) {
      history_.Apply(
          core::EventBuilder("inventory.stock.committed")
              .Aggregate("inventory_reservation", "o-" + std::to_string(day))
              .Tenant("acme")
              .Payload({{"orderId", "o"},
                        {"lines", boost::json::array{{{"productId", "p-1"},
                                                      {"locationId", "main"},
                                                      {"quantity", 5}}}}})
              .Timestamp(day * common::kMillisPerDay)
              .BuildValue(ids_, clock_));
    }
  }

  Response Call(const std::string& method, const std::string& target,
                const std::string& body = "", Role role = Role::kManager,
                const std::string& tenant = "acme") {
    Request req;
    req.method = method;
    req.target = target;
    req.body = body;
    if (!body.empty()) req.headers.Add("Content-Type", "application/json");
    req.headers.Add(
        "Authorization",
        "Bearer " + *signer_->Sign({"u-1", tenant, role}, seconds(60)));
    return dispatcher_.Dispatch(req);
  }

  static boost::json::object Body(const Response& r) {
    return boost::json::parse(r.body).as_object();
  }

  core::ManualClock clock_;
  std::unique_ptr<store::EventStore> store_;
  core::UuidV7Generator ids_;
  common::DomainDeps deps_;
  domain::catalog::CatalogService catalog_;
  domain::forecasting::DemandHistory history_;
  domain::forecasting::ForecastService forecasts_;
  Router router_;
  std::unique_ptr<JwtVerifier> verifier_;
  std::unique_ptr<JwtSigner> signer_;
  Dispatcher dispatcher_;
};

TEST_F(ForecastRoutesTest, PostGeneratesAndGetReturnsTheLatest) {
  Response r = Call("POST", "/api/v1/forecasts",
                    R"({"productId":"p-1","horizonDays":10,)"
                    R"("leadTimeDays":3,"serviceLevel":0.9})");
  ASSERT_EQ(r.status, 201) << r.body;
  auto f = Body(r);
  EXPECT_EQ(f.at("productId"), "p-1");
  EXPECT_TRUE(f.at("locationId").is_null());
  EXPECT_EQ(f.at("modelType"), "moving_average");  // a flat 5 a day
  EXPECT_EQ(f.at("horizonDays"), 10);
  EXPECT_EQ(f.at("mape").to_number<double>(), 0.0);
  EXPECT_EQ(f.at("historyDays"), 30);
  const auto& points = f.at("points").as_array();
  ASSERT_EQ(points.size(), 10u);
  EXPECT_EQ(points[0].at("date"), f.at("startDate"));
  EXPECT_EQ(points[9].at("date"), f.at("endDate"));
  EXPECT_EQ(points[0].at("quantity").to_number<double>(), 5.0);
  EXPECT_EQ(f.at("suggestedReorderPoint"), 15);  // 3 days x 5, no error
  EXPECT_EQ(f.at("serviceLevel").to_number<double>(), 0.9);

  Response latest = Call("GET", "/api/v1/forecasts/p-1", "", Role::kViewer);
  ASSERT_EQ(latest.status, 200) << latest.body;
  EXPECT_EQ(Body(latest).at("forecastId"), f.at("forecastId"));
  EXPECT_EQ(Body(latest).at("points"), f.at("points"));

  auto events = store_->ReadStream("acme", "forecast-p-1", 1, 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0]->event_type, "forecast.generated");
  EXPECT_EQ((*events)[0]->PayloadString("forecastId"),
            f.at("forecastId").as_string());
}

TEST_F(ForecastRoutesTest, BadInputsAre422UnknownIds404) {
  auto status = [&](const std::string& body) {
    return Call("POST", "/api/v1/forecasts", body).status;
  };
  EXPECT_EQ(status(R"({"productId":"p-1","horizonDays":0})"), 422);
  EXPECT_EQ(status(R"({"productId":"p-1","horizonDays":-3})"), 422);
  EXPECT_EQ(status(R"({"productId":"p-1","horizonDays":366})"), 422);
  EXPECT_EQ(status(R"({"productId":"p-1","horizonDays":2.5})"), 422);
  EXPECT_EQ(status(R"({"productId":"p-1"})"), 422);
  EXPECT_EQ(status(R"({"horizonDays":7})"), 422);
  EXPECT_EQ(status(R"({"productId":"p-1","horizonDays":7,"model":"arima"})"),
            422);
  EXPECT_EQ(status(R"({"productId":"p-1","horizonDays":7,"leadTimeDays":0})"),
            422);
  EXPECT_EQ(
      status(R"({"productId":"p-1","horizonDays":7,"serviceLevel":"high"})"),
      422);
  EXPECT_EQ(status(R"({"productId":"p-1","horizonDays":7,"serviceLevel":1})"),
            422);
  EXPECT_EQ(status("not json"), 400);
  EXPECT_EQ(status(R"({"productId":"nope","horizonDays":7})"), 404);
  EXPECT_EQ(
      status(R"({"productId":"p-1","locationId":"mars","horizonDays":7})"),
      404);
  // 30 days: enough for a holdout, not for Holt-Winters' two weeks more.
  EXPECT_EQ(
      status(R"({"productId":"p-1","horizonDays":7,"model":"holt_winters"})"),
      201);
  EXPECT_EQ(Call("GET", "/api/v1/forecasts/nope").status, 404);
}

TEST_F(ForecastRoutesTest, RolesAndTenants) {
  const std::string body = R"({"productId":"p-1","horizonDays":7})";
  EXPECT_EQ(Call("POST", "/api/v1/forecasts", body, Role::kViewer).status, 403);
  EXPECT_EQ(Call("POST", "/api/v1/forecasts", body, Role::kClerk).status, 403);
  ASSERT_EQ(Call("POST", "/api/v1/forecasts", body).status, 201);
  EXPECT_EQ(
      Call("POST", "/api/v1/forecasts", body, Role::kAdmin, "globex").status,
      404);
  EXPECT_EQ(
      Call("GET", "/api/v1/forecasts/p-1", "", Role::kViewer, "globex").status,
      404);
  Response problem =
      Call("GET", "/api/v1/forecasts/p-1", "", Role::kViewer, "globex");
  EXPECT_EQ(problem.headers.Get("Content-Type").value_or(""),
            "application/problem+json");
}

}  // namespace
}  // namespace stockpile::api
