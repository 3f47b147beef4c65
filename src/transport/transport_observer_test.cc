#include "transport/transport_observer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

#include "core/clock.h"
#include "core/uuid.h"
#include "obs/prometheus_text.h"
#include "transport/in_process_transport.h"

namespace stockpile::transport {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

obs::ComponentHealth Component(const obs::HealthSnapshot& snapshot,
                               const std::string& name) {
  for (const obs::ComponentHealth& c : snapshot.components) {
    if (c.name == name) return c;
  }
  ADD_FAILURE() << "no health component " << name;
  return {};
}

TEST(TransportObserverTest, ReportsCountersAndConnectionHealth) {
  obs::MetricsRegistry metrics;
  obs::HealthRegistry health;
  auto transport = MakeInProcessTransport();
  ASSERT_TRUE(
      transport->DeclareTopology({.queues = {{"orders", {"order.*"}}}}).ok());
  auto observer =
      TransportObserver::Start(*transport, "embedded", metrics, health);
  ASSERT_TRUE(observer.ok()) << observer.status();

  core::ManualClock clock;
  core::UuidV7Generator ids(clock);
  std::vector<core::EventPtr> batch = {
      core::EventBuilder("order.created").Build(ids, clock),
      core::EventBuilder("user.registered").Build(ids, clock)};
  ASSERT_TRUE(transport->Publish(batch).ok());

  std::string text = obs::RenderPrometheusText(metrics);
  EXPECT_THAT(text, HasSubstr("stockpile_transport_connected{transport="
                              "\"embedded\"} 1"));
  EXPECT_THAT(text, HasSubstr("stockpile_transport_published_total{transport="
                              "\"embedded\"} 2"));
  EXPECT_THAT(text, HasSubstr("stockpile_transport_returned_total{transport="
                              "\"embedded\"} 1"));
  EXPECT_THAT(text, HasSubstr("stockpile_transport_unconfirmed{transport="
                              "\"embedded\"} 0"));
  EXPECT_EQ(Component(health.Snapshot(), "transport:embedded").report.state,
            obs::HealthState::kUp);

  transport->Close();
  obs::ComponentHealth closed =
      Component(health.Snapshot(), "transport:embedded");
  EXPECT_EQ(closed.report.state, obs::HealthState::kDown);
  EXPECT_EQ(closed.report.detail.at("state"), "closed");

  // A second observer under the same name is refused, not double-counted.
  EXPECT_FALSE(
      TransportObserver::Start(*transport, "embedded", metrics, health).ok());
  observer->reset();
  EXPECT_THAT(obs::RenderPrometheusText(metrics),
              Not(HasSubstr("transport=\"embedded\"")));
}

}  // namespace
}  // namespace stockpile::transport
