#include "domain/tenant/tenant_settings_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "core/time_format.h"
#include "domain/catalog/catalog_service.h"
#include "domain/common/domain_test_util.h"

namespace stockpile::domain::tenant {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

boost::json::object Json(std::string_view text) {
  return boost::json::parse(text).as_object();
}

class TenantSettingsServiceTest : public testing::DomainStoreTest {
 protected:
  void SetUp() override {
    DomainStoreTest::SetUp();
    settings_ = std::make_unique<TenantSettingsService>(deps_);
    common::DomainDeps enriched = deps_;
    enriched.enricher = settings_.get();
    catalog_ = std::make_unique<catalog::CatalogService>(enriched);
    // Monday 2026-02-09 03:00Z = 10:00 WIB.
    clock_.Set(core::Clock::TimePoint(std::chrono::milliseconds(
        core::ParseRfc3339Millis("2026-02-09T03:00:00Z").value())));
  }

  // metadata.businessContext of the newest event of `stream`.
  boost::json::object ContextOf(const std::string& stream) {
    auto events = store_->ReadStream("acme", stream, 1, 1000);
    EXPECT_TRUE(events.ok()) << events.status();
    if (!events.ok() || events->empty()) return {};
    const boost::json::value* ctx =
        events->back()->metadata.if_contains("businessContext");
    EXPECT_NE(ctx, nullptr) << stream;
    return ctx != nullptr ? ctx->as_object() : boost::json::object();
  }

  common::CommandContext ctx_{.tenant = "acme", .user_id = "u-1"};
  std::unique_ptr<TenantSettingsService> settings_;
  std::unique_ptr<catalog::CatalogService> catalog_;
};

TEST_P(TenantSettingsServiceTest,
       UpdateAppendsSettingsUpdatedOnceForEqualSettings) {
  const auto body = Json(R"({"region": "ID", "holidays": ["2026-02-10"]})");
  ASSERT_TRUE(settings_->Update(ctx_, body).ok());
  ASSERT_TRUE(settings_->Update(ctx_, body).ok());  // same: no new event
  EXPECT_THAT(StreamTypes("acme", std::string(kTenantSettingsStream)),
              ElementsAre("tenant.settings.updated"));
  ASSERT_TRUE(settings_->Update(ctx_, Json(R"({"region": "ID"})")).ok());
  EXPECT_THAT(
      StreamTypes("acme", std::string(kTenantSettingsStream)),
      ElementsAre("tenant.settings.updated", "tenant.settings.updated"));
  auto events =
      store_->ReadStream("acme", std::string(kTenantSettingsStream), 1, 10);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ((*events)[0]->payload, body);
  EXPECT_EQ((*events)[0]->aggregate_id, "acme");
}

TEST_P(TenantSettingsServiceTest, GetAnswersTheEffectiveSettings) {
  auto none = settings_->Get("acme");
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(none->at("timezone"), "UTC");
  EXPECT_TRUE(none->at("region").is_null());
  EXPECT_EQ(none->at("businessHours").at("monday").at("open"), "09:00");
  EXPECT_TRUE(none->at("businessHours").at("saturday").is_null());

  ASSERT_TRUE(settings_
                  ->Update(ctx_, Json(R"({"region": "ID",
                      "seasonalFactors": {"3": 1.2}})"))
                  .ok());
  auto got = settings_->Get("acme");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->at("timezone"), "Asia/Jakarta");
  EXPECT_EQ(got->at("region"), "ID");
  EXPECT_EQ(got->at("currency"), "IDR");
  EXPECT_EQ(got->at("seasonalFactors").at("3"), 1.2);
  EXPECT_EQ(got->at("seasonalFactors").at("12"), 1.2);  // the region's
  EXPECT_EQ(got->at("seasonalFactors").as_object().size(), 12u);
  // Another tenant is untouched.
  EXPECT_EQ(settings_->Get("other")->at("timezone"), "UTC");
}

TEST_P(TenantSettingsServiceTest, AnInvalidBodyIsRefusedAndAppendsNothing) {
  auto r = settings_->Update(
      ctx_,
      Json(
          R"({"businessHours": {"monday": {"open": "18:00", "close": "09:00"}}})"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(r.status().message()),
              HasSubstr("businessHours.monday.close"));
  EXPECT_TRUE(StreamTypes("acme", std::string(kTenantSettingsStream)).empty());
}

TEST_P(TenantSettingsServiceTest, EventsOfOtherServicesCarryTheTenantsContext) {
  ASSERT_TRUE(
      catalog_
          ->CreateProduct(
              ctx_, {.id = "p1", .sku = "S1", .name = "Pen", .price_minor = 10})
          .ok());
  boost::json::object before = ContextOf("product-p1");
  EXPECT_EQ(before.at("timezone"), "UTC");
  EXPECT_EQ(before.at("localTime"), "2026-02-09T03:00:00.000+00:00");
  EXPECT_EQ(before.at("businessHours"), false);  // 03:00 UTC

  ASSERT_TRUE(settings_->Update(ctx_, Json(R"({"region": "ID"})")).ok());
  ASSERT_TRUE(
      catalog_
          ->CreateProduct(
              ctx_, {.id = "p2", .sku = "S2", .name = "Ink", .price_minor = 10})
          .ok());
  boost::json::object after = ContextOf("product-p2");
  EXPECT_EQ(after.at("timezone"), "Asia/Jakarta");
  EXPECT_EQ(after.at("localTime"), "2026-02-09T10:00:00.000+07:00");
  EXPECT_EQ(after.at("businessHours"), true);
  EXPECT_EQ(after.at("region"), "ID");
  EXPECT_DOUBLE_EQ(after.at("seasonalFactor").as_double(), 0.95);
  // The settings event itself is enriched (with the calendar before it).
  EXPECT_EQ(ContextOf(std::string(kTenantSettingsStream)).at("timezone"),
            "UTC");
}

TEST_P(TenantSettingsServiceTest,
       AnotherInstanceLoadsFromTheStoreAndAppliesUpdates) {
  ASSERT_TRUE(
      settings_->Update(ctx_, Json(R"({"timezone": "Asia/Makassar"})")).ok());
  TenantSettingsService other(deps_);  // e.g. another process on the store
  EXPECT_EQ(other.Calendar("acme")->time_zone().name(), "Asia/Makassar");

  ASSERT_TRUE(
      settings_->Update(ctx_, Json(R"({"timezone": "Asia/Jayapura"})")).ok());
  EXPECT_EQ(other.Calendar("acme")->time_zone().name(),
            "Asia/Makassar");  // cached
  auto events =
      store_->ReadStream("acme", std::string(kTenantSettingsStream), 1, 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  other.Apply(*events->back());
  EXPECT_EQ(other.Calendar("acme")->time_zone().name(), "Asia/Jayapura");
  other.Apply(*events->front());  // an older version never wins
  EXPECT_EQ(other.Calendar("acme")->time_zone().name(), "Asia/Jayapura");
}

INSTANTIATE_TEST_SUITE_P(Stores, TenantSettingsServiceTest, testing::kAllStores,
                         testing::StoreName);

}  // namespace
}  // namespace stockpile::domain::tenant
