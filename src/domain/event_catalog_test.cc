#include "domain/event_catalog.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "core/topic_pattern.h"

namespace stockpile::domain {
namespace {

TEST(EventCatalogTest, TypesAreValidUniqueRoutingKeys) {
  std::set<std::string_view> seen;
  for (const EventTypeInfo& e : EventCatalog()) {
    EXPECT_TRUE(core::ValidateRoutingKey(e.type).ok()) << e.type;
    EXPECT_TRUE(seen.insert(e.type).second) << "duplicate " << e.type;
    EXPECT_GE(e.schema_version, 1) << e.type;
    EXPECT_FALSE(e.fields.empty()) << e.type;
  }
}

TEST(EventCatalogTest, CoversEveryTypeOfTheDesign) {
  for (std::string_view type : {"catalog.product.created",
                                "catalog.product.updated",
                                "catalog.product.deleted",
                                "catalog.supplier.created",
                                "catalog.supplier.updated",
                                "user.registered",
                                "user.updated",
                                "inventory.stock.received",
                                "inventory.stock.adjusted",
                                "inventory.stock.reserved",
                                "inventory.stock.reservation_failed",
                                "inventory.stock.released",
                                "inventory.stock.low",
                                "inventory.stock.restored",
                                "inventory.transfer.initiated",
                                "inventory.transfer.completed",
                                "sales.sale.completed",
                                "order.created",
                                "order.confirmed",
                                "order.rejected",
                                "order.cancelled",
                                "order.shipped",
                                "order.delivered",
                                "payment.succeeded",
                                "payment.failed",
                                "bill.created",
                                "bill.paid",
                                "replenishment.triggered",
                                "purchasing.order.created",
                                "purchasing.order.approved",
                                "purchasing.order.received",
                                "forecast.generated",
                                "notification.sent",
                                "document.uploaded"}) {
    EXPECT_NE(FindEventType(type), nullptr) << type;
  }
}

TEST(EventCatalogTest, MapsSeedAliasesToCanonicalTypes) {
  EXPECT_EQ(CanonicalEventType("SALE_COMPLETED"), "sales.sale.completed");
  EXPECT_EQ(CanonicalEventType("RECEIPT_COMPLETED"),
            "inventory.stock.received");
  EXPECT_EQ(CanonicalEventType("INVENTORY_UPDATED"),
            "inventory.stock.adjusted");
  EXPECT_EQ(CanonicalEventType("StockLow"), "inventory.stock.low");
  EXPECT_EQ(CanonicalEventType("OrderStatusChanged"), "order.updated");
  EXPECT_EQ(CanonicalEventType("payment.success"), "payment.succeeded");
  EXPECT_EQ(CanonicalEventType("user.created"), "user.registered");
  EXPECT_EQ(CanonicalEventType("order.created"), "order.created");
  EXPECT_EQ(CanonicalEventType("NO_SUCH_EVENT"), "");
}

TEST(EventCatalogTest, DocsEventsMdIsGeneratedFromTheCatalog) {
  std::ifstream in(STOCKPILE_SOURCE_DIR "/docs/events.md");
  ASSERT_TRUE(in) << "docs/events.md is missing";
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_TRUE(text.str() == RenderEventCatalogMarkdown())
      << "docs/events.md is stale: regenerate it with "
         "`stockpile events catalog > docs/events.md`";
}

}  // namespace
}  // namespace stockpile::domain
