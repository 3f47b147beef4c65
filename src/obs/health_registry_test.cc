#include "obs/health_registry.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <optional>
#include <stdexcept>

namespace stockpile::obs {
namespace {

HealthCheck Fixed(HealthState state, const boost::json::object& detail = {}) {
  return [state, detail] { return HealthReport{state, detail}; };
}

TEST(HealthRegistryTest, EmptyRegistryIsUp) {
  HealthRegistry health;
  HealthSnapshot s = health.Snapshot();
  EXPECT_EQ(s.overall, HealthState::kUp);
  EXPECT_TRUE(s.components.empty());
}

TEST(HealthRegistryTest, SnapshotListsComponentsByNameWithTheWorstOverall) {
  HealthRegistry health;
  CallbackRegistration store =
      *health.Register("store", Fixed(HealthState::kUp));
  CallbackRegistration sub = *health.Register(
      "subscription:orders", Fixed(HealthState::kDegraded, {{"lag", 40}}));
  CallbackRegistration bus = *health.Register("bus", Fixed(HealthState::kUp));

  HealthSnapshot s = health.Snapshot();
  EXPECT_EQ(s.overall, HealthState::kDegraded);
  ASSERT_EQ(s.components.size(), 3u);
  EXPECT_EQ(s.components[0].name, "bus");
  EXPECT_EQ(s.components[1].name, "store");
  EXPECT_EQ(s.components[2].name, "subscription:orders");
  EXPECT_EQ(s.components[2].report.detail.at("lag").as_int64(), 40);

  CallbackRegistration down =
      *health.Register("transport", Fixed(HealthState::kDown));
  EXPECT_EQ(health.Snapshot().overall, HealthState::kDown);
}

TEST(HealthRegistryTest, ChecksRunAtEverySnapshot) {
  HealthRegistry health;
  HealthState state = HealthState::kUp;
  CallbackRegistration r = *health.Register("stall", [&state] {
    return HealthReport{state, {}};
  });
  EXPECT_EQ(health.Snapshot().overall, HealthState::kUp);
  state = HealthState::kDown;
  EXPECT_EQ(health.Snapshot().overall, HealthState::kDown);
}

TEST(HealthRegistryTest, ReleasedCheckIsGoneAndItsNameFree) {
  HealthRegistry health;
  std::optional<CallbackRegistration> r =
      *health.Register("store", Fixed(HealthState::kDown));
  EXPECT_EQ(health.Register("store", Fixed(HealthState::kUp)).status().code(),
            core::StatusCode::kAlreadyExists);
  r.reset();
  EXPECT_TRUE(health.Snapshot().components.empty());
  EXPECT_TRUE(health.Register("store", Fixed(HealthState::kUp)).ok());
}

TEST(HealthRegistryTest, RejectsEmptyNameOrCheck) {
  HealthRegistry health;
  EXPECT_EQ(health.Register("", Fixed(HealthState::kUp)).status().code(),
            core::StatusCode::kInvalidArgument);
  EXPECT_EQ(health.Register("x", nullptr).status().code(),
            core::StatusCode::kInvalidArgument);
}

TEST(HealthRegistryTest, ThrowingCheckReportsDownWithTheError) {
  HealthRegistry health;
  CallbackRegistration r = *health.Register(
      "store", []() -> HealthReport { throw std::runtime_error("disk gone"); });
  HealthSnapshot s = health.Snapshot();
  EXPECT_EQ(s.overall, HealthState::kDown);
  EXPECT_EQ(s.components.at(0).report.detail.at("error").as_string(),
            "disk gone");
}

TEST(HealthRegistryTest, ChecksRunOutsideTheRegistryLock) {
  HealthRegistry health;
  std::optional<CallbackRegistration> inner;
  // Registering from inside a check would deadlock under the lock.
  CallbackRegistration outer = *health.Register("outer", [&] {
    if (!inner) inner = *health.Register("inner", Fixed(HealthState::kUp));
    return HealthReport{};
  });
  EXPECT_EQ(health.Snapshot().components.size(), 1u);
  EXPECT_EQ(health.Snapshot().components.size(), 2u);
}

TEST(HealthRegistryTest, RendersJsonForHealthServices) {
  HealthRegistry health;
  CallbackRegistration a = *health.Register("store", Fixed(HealthState::kUp));
  CallbackRegistration b = *health.Register(
      "subscription:orders",
      Fixed(HealthState::kDown, {{"lag", 5}, {"state", "stalled"}}));
  EXPECT_EQ(
      boost::json::serialize(HealthSnapshotToJson(health.Snapshot())),
      R"({"status":"down","components":{"store":{"status":"up"},)"
      R"("subscription:orders":{"status":"down","lag":5,"state":"stalled"}}})");
}

}  // namespace
}  // namespace stockpile::obs
