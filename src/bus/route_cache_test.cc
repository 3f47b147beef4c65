#include "bus/route_cache.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace stockpile::bus {
namespace {

std::unique_ptr<Route> MakeRoute(std::string key) {
  auto r = std::make_unique<Route>();
  r->hash = FastHash(key);
  r->key = std::move(key);
  return r;
}

TEST(RouteCacheTest, FindsWhatWasInserted) {
  RouteCache cache(16);
  auto r = MakeRoute("order.created");
  const Route* raw = r.get();
  EXPECT_EQ(cache.Insert(r), raw);
  EXPECT_EQ(r, nullptr);  // ownership taken
  EXPECT_EQ(cache.Find("order.created", FastHash("order.created")), raw);
  EXPECT_EQ(cache.Find("order.cancelled", FastHash("order.cancelled")),
            nullptr);
}

TEST(RouteCacheTest, SecondInsertOfAKeyReturnsTheFirst) {
  RouteCache cache(16);
  auto first = MakeRoute("a.b");
  const Route* raw = cache.Insert(first);
  auto second = MakeRoute("a.b");
  EXPECT_EQ(cache.Insert(second), raw);
  EXPECT_NE(second, nullptr);  // caller keeps its duplicate
}

TEST(RouteCacheTest, DeclinesWhenFullButKeepsServingCachedKeys) {
  RouteCache cache(4);
  for (int i = 0; i < 4; ++i) {
    auto r = MakeRoute("k" + std::to_string(i));
    ASSERT_NE(cache.Insert(r), nullptr);
  }
  auto extra = MakeRoute("k4");
  EXPECT_EQ(cache.Insert(extra), nullptr);
  EXPECT_NE(extra, nullptr);
  for (int i = 0; i < 4; ++i) {
    std::string key = "k" + std::to_string(i);
    EXPECT_NE(cache.Find(key, FastHash(key)), nullptr) << key;
  }
}

TEST(RouteCacheTest, ConcurrentInsertsOfTheSameKeysAgree) {
  RouteCache cache(256);
  std::vector<std::vector<const Route*>> seen(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        auto r = MakeRoute("key." + std::to_string(i));
        seen[t].push_back(cache.Insert(r));
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int i = 0; i < 200; ++i) {
    std::string key = "key." + std::to_string(i);
    const Route* found = cache.Find(key, FastHash(key));
    ASSERT_NE(found, nullptr);
    for (int t = 0; t < 4; ++t) EXPECT_EQ(seen[t][i], found);
  }
}

}  // namespace
}  // namespace stockpile::bus
