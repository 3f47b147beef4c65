#include "domain/catalog/catalog_replica.h"

#include <gtest/gtest.h>

#include "domain/catalog/catalog_service.h"
#include "domain/common/domain_test_util.h"

namespace stockpile::domain::catalog {
namespace {

// The catalog service writes to the store; the replica hears of it only
// through the events it is fed, as in a process without the catalog.
class CatalogReplicaTest : public testing::DomainStoreTest {
 protected:
  // Feeds the replica (and the products view) everything after `fed_`.
  void Feed() {
    auto page = store_->ReadAll(fed_, 1000,
                                store::ReadFilter::AllTenants({"catalog.#"}));
    ASSERT_TRUE(page.ok()) << page.status();
    for (const core::EventPtr& e : page->events) {
      if (e->event_type.starts_with("catalog.product.")) {
        products_.Apply(*e, e->aggregate_id);
      }
      replica_.Apply(*e);
      fed_ = e->position;
    }
  }

  common::CommandContext ctx_{.tenant = "acme", .user_id = "u-1"};
  int catch_ups_ = 0;
  int64_t fed_ = 0;
  common::KeyedView<ProductState> products_;
  CatalogReplica replica_{products_, [this] {
                            ++catch_ups_;
                            Feed();
                          }};
};

TEST_P(CatalogReplicaTest, AnswersLikeTheCatalogService) {
  CatalogService catalog(deps_);
  ASSERT_TRUE(catalog
                  .CreateProduct(ctx_, {.id = "p-1",
                                        .sku = "A-1",
                                        .name = "Apple",
                                        .price_minor = 125,
                                        .reorder_point = 5})
                  .ok());
  ASSERT_TRUE(
      catalog.CreateLocation(ctx_, {.id = "north", .name = "North"}).ok());
  ASSERT_TRUE(catalog.DeleteProduct(ctx_, "p-1").ok());
  Feed();

  auto want = catalog.GetProduct("acme", "p-1");
  auto got = replica_.GetProduct("acme", "p-1");
  ASSERT_TRUE(want.ok() && got.ok()) << got.status();
  EXPECT_EQ(got->ToJson(), want->ToJson());
  EXPECT_TRUE(got->deleted);

  auto locations = replica_.GetLocations("acme");
  ASSERT_TRUE(locations.ok());
  EXPECT_TRUE(locations->Contains("north"));
  EXPECT_TRUE(locations->Contains("main"));
  EXPECT_EQ(replica_.GetProduct("acme", "p-9").status().code(),
            core::StatusCode::kNotFound);
  EXPECT_EQ(replica_.GetProduct("other", "p-1").status().code(),
            core::StatusCode::kNotFound);
}

TEST_P(CatalogReplicaTest, AMissCatchesUpWithTheLogBeforeAnswering) {
  CatalogService catalog(deps_);
  ASSERT_TRUE(
      catalog
          .CreateProduct(
              ctx_,
              {.id = "p-1", .sku = "A-1", .name = "Apple", .price_minor = 100})
          .ok());
  // Not fed yet: the first lookup misses, catches up, then finds it.
  auto got = replica_.GetProduct("acme", "p-1");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->name, "Apple");
  EXPECT_EQ(catch_ups_, 1);
  ASSERT_TRUE(replica_.GetProduct("acme", "p-1").ok());
  EXPECT_EQ(catch_ups_, 1);  // a hit does not wait
}

INSTANTIATE_TEST_SUITE_P(Stores, CatalogReplicaTest, testing::kAllStores,
                         testing::StoreName);

}  // namespace
}  // namespace stockpile::domain::catalog
