#include "domain/catalog/catalog_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "domain/common/domain_test_util.h"

namespace stockpile::domain::catalog {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class CatalogServiceTest : public testing::DomainStoreTest {
 protected:
  common::CommandContext ctx_{.tenant = "acme", .user_id = "u-1"};
  NewProduct Apple(std::string id = "product-001") {
    return NewProduct{.id = std::move(id),
                      .sku = "APL-1",
                      .name = "Apple",
                      .price_minor = 125,
                      .reorder_point = 10};
  }
};

TEST_P(CatalogServiceTest, CreateProductEmitsCreatedWithExactPrice) {
  CatalogService catalog(deps_);
  auto p = catalog.CreateProduct(ctx_, Apple());
  ASSERT_TRUE(p.ok()) << p.status();
  auto events = store_->ReadStream("acme", "product-product-001", 1, 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  const core::Event& e = *(*events)[0];
  EXPECT_EQ(e.event_type, "catalog.product.created");
  EXPECT_EQ(e.aggregate_type, "product");
  EXPECT_EQ(e.aggregate_id, "product-001");
  EXPECT_EQ(e.PayloadString("sku"), "APL-1");
  EXPECT_EQ(e.payload.at("price").as_double(), 1.25);
  EXPECT_EQ(e.payload.at("reorderPoint").as_int64(), 10);
  EXPECT_EQ(e.source(), "catalog");

  auto back = catalog.GetProduct("acme", "product-001");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->price_minor, 125);
  EXPECT_EQ(back->currency, "USD");
}

TEST_P(CatalogServiceTest, AssignsAnIdWhenNoneIsGiven) {
  CatalogService catalog(deps_);
  auto p = catalog.CreateProduct(ctx_, Apple(""));
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->id.rfind("prod-", 0), 0u);
  EXPECT_TRUE(catalog.GetProduct("acme", p->id).ok());
}

TEST_P(CatalogServiceTest, RefusesInvalidProducts) {
  CatalogService catalog(deps_);
  NewProduct p = Apple();
  p.price_minor = -1;
  EXPECT_EQ(catalog.CreateProduct(ctx_, p).status().code(),
            core::StatusCode::kInvalidArgument);
  p = Apple();
  p.currency = "EURO";
  EXPECT_EQ(catalog.CreateProduct(ctx_, p).status().code(),
            core::StatusCode::kInvalidArgument);
  p = Apple("bad id/1");
  EXPECT_EQ(catalog.CreateProduct(ctx_, p).status().code(),
            core::StatusCode::kInvalidArgument);
  p = Apple();
  p.sku = "";
  EXPECT_EQ(catalog.CreateProduct(ctx_, p).status().code(),
            core::StatusCode::kInvalidArgument);
  EXPECT_TRUE(StreamTypes("acme", "product-product-001").empty());
}

TEST_P(CatalogServiceTest, SkuIsUniquePerTenant) {
  CatalogService catalog(deps_);
  ASSERT_TRUE(catalog.CreateProduct(ctx_, Apple("p1")).ok());
  auto dup = catalog.CreateProduct(ctx_, Apple("p2"));
  EXPECT_EQ(dup.status().code(), core::StatusCode::kAlreadyExists);
  EXPECT_TRUE(StreamTypes("acme", "product-p2").empty());
  // Another tenant may use the same sku.
  common::CommandContext other{.tenant = "globex"};
  EXPECT_TRUE(catalog.CreateProduct(other, Apple("p2")).ok());
}

TEST_P(CatalogServiceTest, DuplicateIdDoesNotKeepTheNewSku) {
  CatalogService catalog(deps_);
  ASSERT_TRUE(catalog.CreateProduct(ctx_, Apple("p1")).ok());
  NewProduct again = Apple("p1");
  again.sku = "OTHER";
  EXPECT_EQ(catalog.CreateProduct(ctx_, again).status().code(),
            core::StatusCode::kAlreadyExists);
  NewProduct free = Apple("p3");
  free.sku = "OTHER";
  EXPECT_TRUE(catalog.CreateProduct(ctx_, free).ok());
}

// serve --demo creates its catalog again at every start: the second create
// of a product with its own sku must leave that sku claimed.
TEST_P(CatalogServiceTest, RecreatingAProductKeepsItsSkuClaimed) {
  CatalogService catalog(deps_);
  ASSERT_TRUE(catalog.CreateProduct(ctx_, Apple("p1")).ok());
  EXPECT_EQ(catalog.CreateProduct(ctx_, Apple("p1")).status().code(),
            core::StatusCode::kAlreadyExists);
  EXPECT_EQ(catalog.CreateProduct(ctx_, Apple("p2")).status().code(),
            core::StatusCode::kAlreadyExists);
  EXPECT_TRUE(StreamTypes("acme", "product-p2").empty());
}

TEST_P(CatalogServiceTest, ConcurrentCreatesWithOneSkuHaveOneWinner) {
  CatalogService catalog(deps_);
  constexpr int kThreads = 16;
  std::atomic<int> won{0};
  std::atomic<int> taken{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto r = catalog.CreateProduct(ctx_, Apple("p" + std::to_string(t)));
      if (r.ok()) {
        won.fetch_add(1);
      } else if (r.status().code() == core::StatusCode::kAlreadyExists) {
        taken.fetch_add(1);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(taken.load(), kThreads - 1);
}

TEST_P(CatalogServiceTest, UpdateEmitsOnlyChangedFields) {
  CatalogService catalog(deps_);
  ASSERT_TRUE(catalog.CreateProduct(ctx_, Apple()).ok());
  ProductChanges c;
  c.price_minor = 199;
  c.name = "Apple";  // unchanged
  auto p = catalog.UpdateProduct(ctx_, "product-001", c);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->price_minor, 199);
  auto events = store_->ReadStream("acme", "product-product-001", 2, 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  const boost::json::object& changes =
      (*events)[0]->payload.at("changes").as_object();
  EXPECT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes.at("price").as_double(), 1.99);
  // Nothing changes: nothing appended.
  ASSERT_TRUE(catalog.UpdateProduct(ctx_, "product-001", c).ok());
  EXPECT_EQ(StreamTypes("acme", "product-product-001").size(), 2u);
}

TEST_P(CatalogServiceTest, SkuChangeMovesTheClaim) {
  CatalogService catalog(deps_);
  ASSERT_TRUE(catalog.CreateProduct(ctx_, Apple("p1")).ok());
  ProductChanges c;
  c.sku = "APL-2";
  ASSERT_TRUE(catalog.UpdateProduct(ctx_, "p1", c).ok());
  EXPECT_TRUE(catalog.CreateProduct(ctx_, Apple("p2")).ok());  // APL-1 free
  NewProduct clash = Apple("p3");
  clash.sku = "APL-2";
  EXPECT_EQ(catalog.CreateProduct(ctx_, clash).status().code(),
            core::StatusCode::kAlreadyExists);
}

TEST_P(CatalogServiceTest, DeleteFreesSkuAndHidesNothingOfHistory) {
  CatalogService catalog(deps_);
  ASSERT_TRUE(catalog.CreateProduct(ctx_, Apple("p1")).ok());
  ASSERT_TRUE(catalog.DeleteProduct(ctx_, "p1").ok());
  EXPECT_EQ(catalog.DeleteProduct(ctx_, "p1").code(),
            core::StatusCode::kNotFound);
  auto p = catalog.GetProduct("acme", "p1");
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->deleted);
  EXPECT_THAT(
      StreamTypes("acme", "product-p1"),
      ElementsAre("catalog.product.created", "catalog.product.deleted"));
  EXPECT_TRUE(catalog.CreateProduct(ctx_, Apple("p2")).ok());
  ProductChanges c;
  c.name = "x";
  EXPECT_EQ(catalog.UpdateProduct(ctx_, "p1", c).status().code(),
            core::StatusCode::kNotFound);
}

TEST_P(CatalogServiceTest, StaleSkuClaimIsTakenOver) {
  CatalogService catalog(deps_);
  // A claim whose product was deleted without its release (a crash).
  ASSERT_TRUE(catalog.CreateProduct(ctx_, Apple("p1")).ok());
  ASSERT_TRUE(
      store_
          ->Append("acme", "product-p1", store::ExpectedVersion::Exact(1),
                   {common::NewEvent(deps_, ctx_, "catalog",
                                     "catalog.product.deleted", "product", "p1",
                                     {{"productId", "p1"}})})
          .ok());
  EXPECT_TRUE(catalog.CreateProduct(ctx_, Apple("p2")).ok());
}

TEST_P(CatalogServiceTest, MainLocationAlwaysExistsAndOthersAreOrdered) {
  CatalogService catalog(deps_);
  auto locs = catalog.GetLocations("acme");
  ASSERT_TRUE(locs.ok());
  ASSERT_EQ(locs->InAllocationOrder().size(), 1u);
  EXPECT_EQ(locs->InAllocationOrder()[0].id, "main");
  EXPECT_EQ(catalog.CreateLocation(ctx_, {.id = "main", .name = "M"}).code(),
            core::StatusCode::kAlreadyExists);
  ASSERT_TRUE(
      catalog.CreateLocation(ctx_, {.id = "wh-b", .name = "B", .priority = 5})
          .ok());
  ASSERT_TRUE(
      catalog.CreateLocation(ctx_, {.id = "wh-a", .name = "A", .priority = 5})
          .ok());
  EXPECT_EQ(catalog.CreateLocation(ctx_, {.id = "wh-a", .name = "A2"}).code(),
            core::StatusCode::kAlreadyExists);
  locs = catalog.GetLocations("acme");
  ASSERT_TRUE(locs.ok());
  std::vector<std::string> ids;
  for (const Location& l : locs->InAllocationOrder()) ids.push_back(l.id);
  EXPECT_THAT(ids, ElementsAre("main", "wh-a", "wh-b"));
}

TEST_P(CatalogServiceTest, SuppliersKeepLeadTimeAndPrices) {
  CatalogService catalog(deps_);
  auto s =
      catalog.CreateSupplier(ctx_, {.id = "sup-1",
                                    .name = "Fruit Co",
                                    .email = "orders@fruit.example",
                                    .lead_time_days = 3,
                                    .prices_minor = {{"product-001", 80}}});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(catalog.CreateSupplier(ctx_, {.id = "sup-1", .name = "x"})
                .status()
                .code(),
            core::StatusCode::kAlreadyExists);
  SupplierFields update{.id = "sup-1", .name = "Fruit Co", .lead_time_days = 5};
  update.prices_minor["product-001"] = 75;
  ASSERT_TRUE(catalog.UpdateSupplier(ctx_, update).ok());
  auto back = catalog.GetSupplier("acme", "sup-1");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->lead_time_days, 5);
  EXPECT_EQ(back->prices_minor.at("product-001"), 75);
  EXPECT_THAT(
      StreamTypes("acme", "supplier-sup-1"),
      ElementsAre("catalog.supplier.created", "catalog.supplier.updated"));
  EXPECT_EQ(catalog.UpdateSupplier(ctx_, {.id = "sup-9", .name = "n"})
                .status()
                .code(),
            core::StatusCode::kNotFound);
  EXPECT_EQ(catalog.GetSupplier("acme", "sup-9").status().code(),
            core::StatusCode::kNotFound);
}

TEST_P(CatalogServiceTest, ASupplierRegionMustBeAKnownRegionPack) {
  CatalogService catalog(deps_);
  auto s = catalog.CreateSupplier(
      ctx_, {.id = "sup-1", .name = "Jakarta Co", .region = "ID"});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->ToJson().at("region"), "ID");
  auto back = catalog.GetSupplier("acme", "sup-1");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->region, "ID");

  auto unknown = catalog.CreateSupplier(
      ctx_, {.id = "sup-2", .name = "Atlantis", .region = "XX"});
  EXPECT_EQ(unknown.status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_THAT(unknown.status().message(), HasSubstr("'region'"));
  EXPECT_EQ(catalog
                .UpdateSupplier(
                    ctx_, {.id = "sup-1", .name = "Jakarta Co", .region = "id"})
                .status()
                .code(),
            core::StatusCode::kInvalidArgument);
  // Cleared: the tenant's region counts again; the payload leaves it out.
  auto cleared = catalog.UpdateSupplier(ctx_, {.id = "sup-1", .name = "J"});
  ASSERT_TRUE(cleared.ok());
  EXPECT_FALSE(cleared->ToJson().contains("region"));
}

INSTANTIATE_TEST_SUITE_P(Stores, CatalogServiceTest, testing::kAllStores,
                         testing::StoreName);

}  // namespace
}  // namespace stockpile::domain::catalog
