#include "app/service_set.h"

#include <gtest/gtest.h>

#include <string>

#include "core/topic_pattern.h"
#include "domain/event_catalog.h"

namespace stockpile::app {
namespace {

bool AnyMatches(const std::vector<std::string>& patterns,
                std::string_view type) {
  for (const std::string& p : patterns) {
    auto parsed = core::TopicPattern::Parse(p);
    EXPECT_TRUE(parsed.ok()) << p;
    if (parsed.ok() && parsed->Matches(type)) return true;
  }
  return false;
}

TEST(ServiceSetTest, ParsesAllAndLists) {
  auto all = ServiceSet::Parse("all");
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->all());
  EXPECT_EQ(all->ToString(), "all");

  auto some = ServiceSet::Parse("orders, billing,notifications");
  ASSERT_TRUE(some.ok()) << some.status();
  EXPECT_TRUE(some->Runs(Service::kOrders));
  EXPECT_TRUE(some->Runs(Service::kBilling));
  EXPECT_TRUE(some->Runs(Service::kNotifications));
  EXPECT_FALSE(some->Runs(Service::kInventory));
  EXPECT_FALSE(some->all());
  EXPECT_EQ(some->ToString(), "orders,billing,notifications");
}

TEST(ServiceSetTest, RefusesUnknownRepeatedAndEmptyNames) {
  auto unknown = ServiceSet::Parse("orders,shipping");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("unknown service 'shipping'"),
            std::string::npos);
  EXPECT_NE(unknown.status().message().find("inventory"), std::string::npos);
  EXPECT_FALSE(ServiceSet::Parse("orders,orders").ok());
  EXPECT_FALSE(ServiceSet::Parse("").ok());
  EXPECT_FALSE(ServiceSet::Parse("orders,").ok());
}

TEST(ServiceSetTest, PurchasingNeedsCatalogAndInventoryBesideIt) {
  auto alone = ServiceSet::Parse("purchasing");
  ASSERT_TRUE(alone.ok());
  EXPECT_EQ(alone->Validate().code(), core::StatusCode::kFailedPrecondition);
  auto together = ServiceSet::Parse("inventory,catalog,purchasing");
  ASSERT_TRUE(together.ok());
  EXPECT_TRUE(together->Validate().ok());
  auto orders = ServiceSet::Parse("orders,billing,notifications");
  ASSERT_TRUE(orders.ok());
  EXPECT_TRUE(orders->Validate().ok());
}

// The catalog's "producer" column and the ownership table agree: each event
// type is appended by exactly one service, the one the catalog names.
TEST(ServiceSetTest, EveryCatalogTypeIsOwnedByItsProducerAlone) {
  for (const domain::EventTypeInfo& info : domain::EventCatalog()) {
    std::vector<Service> owners;
    for (Service s : AllServices()) {
      if (AnyMatches(OwnedPatterns(s), info.type)) owners.push_back(s);
    }
    ASSERT_EQ(owners.size(), 1u) << info.type;
    std::string_view producer = info.producer;
    if (producer == "POS integration") producer = "integrations";
    EXPECT_EQ(ServiceName(owners[0]), producer) << info.type;
  }
}

TEST(ServiceSetTest, SecretsAndClaimsAreNotPublished) {
  EXPECT_FALSE(
      AnyMatches(PublishedPatterns(Service::kUsers), "user.password.set"));
  EXPECT_FALSE(
      AnyMatches(PublishedPatterns(Service::kUsers), "user.email.claimed"));
  EXPECT_TRUE(
      AnyMatches(PublishedPatterns(Service::kUsers), "user.registered"));
  EXPECT_FALSE(
      AnyMatches(PublishedPatterns(Service::kCatalog), "catalog.sku.claimed"));
  EXPECT_TRUE(AnyMatches(PublishedPatterns(Service::kCatalog),
                         "catalog.product.created"));
  for (Service s : AllServices()) {
    for (const std::string& p : PublishedPatterns(s)) {
      EXPECT_TRUE(AnyMatches(OwnedPatterns(s), p)) << p;
    }
  }
}

}  // namespace
}  // namespace stockpile::app
