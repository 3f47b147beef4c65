#include "domain/common/read_model_rebuild.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/uuid.h"
#include "domain/catalog/product_state.h"
#include "runtime/read_model_registry.h"
#include "store/in_memory_event_store.h"

namespace stockpile::domain::common {
namespace {

using catalog::ProductState;

core::Event Created(const std::string& id, const std::string& name) {
  core::Event e;
  e.event_id = "e-" + id;
  e.event_type = "catalog.product.created";
  e.aggregate_type = "product";
  e.aggregate_id = id;
  e.tenant_id = "acme";
  e.payload = {
      {"productId", id}, {"sku", "S-" + id}, {"name", name}, {"price", 1}};
  return e;
}

core::Event Renamed(const std::string& id, const std::string& name) {
  core::Event e = Created(id, name);
  e.event_id = "r-" + id + name;
  e.event_type = "catalog.product.updated";
  e.payload = {{"productId", id}, {"changes", {{"name", name}}}};
  return e;
}

class ReadModelRebuildTest : public ::testing::Test {
 protected:
  void Append(core::Event e) {
    e.event_id = ids_.NextString();
    auto r = store_->Append("acme", "product-" + e.aggregate_id,
                            store::ExpectedVersion::Any(), {e});
    ASSERT_TRUE(r.ok()) << r.status();
    for (const core::EventPtr& stored : r->events) {
      live_.Apply(*stored, stored->aggregate_id);
    }
  }
  core::SystemClock clock_;
  core::UuidV7Generator ids_{clock_};
  std::unique_ptr<store::EventStore> store_ = store::MakeInMemoryEventStore();
  KeyedView<ProductState> live_;
  const store::ReadFilter filter_ =
      store::ReadFilter::AllTenants({"catalog.product.*"});
};

TEST_F(ReadModelRebuildTest, RebuildRefoldsFromTheLogAndSwaps) {
  for (int i = 0; i < 30; ++i) Append(Created("p" + std::to_string(i), "x"));
  Append(Renamed("p3", "renamed"));
  // Damage the live copy behind the log's back: a rebuild must repair it.
  core::Event bogus = Created("ghost", "not in the log");
  live_.Apply(bogus, "ghost");
  ASSERT_EQ(live_.Size("acme"), 31u);

  std::vector<int64_t> done;
  core::Status s = RebuildKeyedView<ProductState>(
      *store_, filter_, live_,
      [](const core::Event& e) { return e.aggregate_id; },
      [&](int64_t d, int64_t total) {
        done.push_back(d);
        EXPECT_LE(d, total);
        return true;
      },
      /*page_size=*/7);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(live_.Size("acme"), 30u);
  EXPECT_FALSE(live_.Get("acme", "ghost").has_value());
  EXPECT_EQ(live_.Get("acme", "p3")->name, "renamed");
  EXPECT_GE(done.size(), 5u);  // 31 events in pages of 7
  EXPECT_EQ(done.back(), 31);
  EXPECT_EQ(live_.position(), 31);

  // A live delivery of an event the rebuilt copy holds is not folded
  // twice; a newer one is.
  auto again = store_->ReadAll(30, 10, filter_);
  ASSERT_TRUE(again.ok());
  live_.Apply(*again->events.at(0), "p3");
  EXPECT_EQ(live_.Size("acme"), 30u);
  Append(Created("p99", "new"));
  EXPECT_EQ(live_.Size("acme"), 31u);
}

TEST_F(ReadModelRebuildTest, CancelledRebuildLeavesLiveAsItIs) {
  Append(Created("p1", "x"));
  core::Event bogus = Created("ghost", "kept");
  live_.Apply(bogus, "ghost");
  core::Status s = RebuildKeyedView<ProductState>(
      *store_, filter_, live_,
      [](const core::Event& e) { return e.aggregate_id; },
      [](int64_t, int64_t) { return false; });
  EXPECT_EQ(s.code(), core::StatusCode::kCancelled);
  EXPECT_TRUE(live_.Get("acme", "ghost").has_value());
}

TEST_F(ReadModelRebuildTest, RebuildWhileWritesContinueLosesNothing) {
  for (int i = 0; i < 200; ++i) Append(Created("p" + std::to_string(i), "x"));
  std::atomic<bool> writing{true};
  std::thread writer([&] {
    for (int i = 200; i < 1200; ++i) {
      Append(Created("p" + std::to_string(i), "x"));
    }
    writing = false;
  });
  while (writing) {
    core::Status s = RebuildKeyedView<ProductState>(
        *store_, filter_, live_,
        [](const core::Event& e) { return e.aggregate_id; },
        [](int64_t, int64_t) { return true; }, /*page_size=*/50);
    ASSERT_TRUE(s.ok()) << s;
  }
  writer.join();
  EXPECT_EQ(live_.Size("acme"), 1200u);
}

TEST(ReadModelRegistryTest, RebuildRunsInTheBackgroundOneAtATime) {
  core::SystemClock clock;
  auto store = store::MakeInMemoryEventStore();
  KeyedView<ProductState> view;
  runtime::ReadModelRegistry registry(*store, clock);
  RegisterKeyedView(registry, *store, "products", {"catalog.product.*"}, view);
  EXPECT_EQ(registry.StartRebuild("nope").status().code(),
            core::StatusCode::kNotFound);
  auto started = registry.StartRebuild("products");
  ASSERT_TRUE(started.ok()) << started.status();
  runtime::ProjectionStatus s = *started;
  for (int i = 0; i < 10000 && s.generation == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    s = *registry.Get("products");
  }
  EXPECT_EQ(s.generation, 1);
  EXPECT_EQ(s.state, runtime::ProjectionState::kRunning);
  EXPECT_TRUE(s.last_error.empty());
  ASSERT_EQ(registry.List().size(), 1u);
  EXPECT_TRUE(registry.StartRebuild("products").ok());  // again, once done
  registry.Stop();
  EXPECT_EQ(registry.StartRebuild("products").status().code(),
            core::StatusCode::kCancelled);
}

}  // namespace
}  // namespace stockpile::domain::common
