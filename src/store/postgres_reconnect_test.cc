// What a PostgreSQL restart does to a process: every session is terminated
// while the process keeps its connection objects. Simulated here, on the
// shared test server, with pg_terminate_backend on the sessions of one
// test (found by their application_name), which is what a restart does to
// them too (FATAL 57P01, then EOF).
#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/event.h"
#include "core/uuid.h"
#include "store/pg_connection.h"
#include "store/pg_connection_pool.h"
#include "store/postgres_event_store.h"
#include "store/postgres_test_harness.h"

namespace stockpile::store {
namespace {

constexpr std::chrono::milliseconds kWait(30000);  // a bound, not a threshold

std::string UniqueName() {
  std::random_device rd;
  return "reconnect_" + std::to_string(rd()) + "_" + std::to_string(rd());
}

// Terminates every session named `app` and waits until the server has
// ended them (so their sockets hold the termination and EOF). Returns how
// many were terminated.
int TerminateSessions(const std::string& url, const std::string& app) {
  auto admin = PgConnection::Connect(url);
  EXPECT_TRUE(admin.ok()) << admin.status();
  if (!admin.ok()) return 0;
  const std::string where =
      " FROM pg_stat_activity WHERE application_name = '" + app +
      "' AND pid <> pg_backend_pid()";
  auto killed =
      (*admin)->Run("SELECT count(pg_terminate_backend(pid))" + where);
  EXPECT_TRUE(killed.ok()) << killed.status();
  const auto deadline = std::chrono::steady_clock::now() + kWait;
  while (std::chrono::steady_clock::now() < deadline) {
    auto left = (*admin)->Run("SELECT count(*)" + where);
    if (!left.ok() || left->GetInt(0, 0) == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return killed.ok() ? static_cast<int>(killed->GetInt(0, 0)) : 0;
}

class PostgresReconnectTest : public testing::Test {
 protected:
  // The harness's URL with this test's application_name.
  std::string Url() const {
    return harness_.url() + "&application_name=" + app_;
  }
  std::vector<core::Event> Events(int n) {
    std::vector<core::Event> out;
    for (int i = 0; i < n; ++i) {
      out.push_back(core::EventBuilder("test.thing.happened")
                        .Aggregate("thing", "t")
                        .Tenant("acme")
                        .BuildValue(ids_, clock_));
    }
    return out;
  }

  PostgresHarness harness_;
  const std::string app_ = UniqueName();
  core::ManualClock clock_;
  core::UuidV7Generator ids_{clock_};
};

// A pooled connection killed while idle is replaced on the next Acquire(),
// so the first statement after a server restart does not fail.
TEST_F(PostgresReconnectTest, PooledConnectionKilledWhileIdleIsReplaced) {
  PgConnectionPool pool(Url(), 1, [](PgConnection& c) {
    return c.Prepare("pid", "SELECT pg_backend_pid()");
  });
  int64_t before = 0;
  {
    auto conn = pool.Acquire();
    ASSERT_TRUE(conn.ok()) << conn.status();
    auto pid = (*conn)->Execute("pid", {});
    ASSERT_TRUE(pid.ok()) << pid.status();
    before = pid->GetInt(0, 0);
  }
  ASSERT_EQ(TerminateSessions(harness_.url(), app_), 1);

  auto conn = pool.Acquire();
  ASSERT_TRUE(conn.ok()) << conn.status();
  auto pid = (*conn)->Execute("pid", {});
  ASSERT_TRUE(pid.ok()) << pid.status();
  EXPECT_NE(pid->GetInt(0, 0), before);
}

// Every session of a store killed (writer, readers, listener): the next
// append and read succeed, and a subscription started before goes on
// delivering, with no gap and no duplicate.
TEST_F(PostgresReconnectTest, StoreSurvivesAllItsSessionsBeingKilled) {
  auto store = MakePostgresEventStore(Url());
  ASSERT_TRUE(store.ok()) << store.status();
  std::vector<int64_t> seen;
  std::mutex mu;
  auto sub = (*store)->SubscribeAll(0, ReadFilter::AllTenants(),
                                    [&](const core::EventPtr& e) {
                                      std::lock_guard<std::mutex> lock(mu);
                                      seen.push_back(e->position);
                                      return core::Status::Ok();
                                    });
  ASSERT_TRUE(sub.ok()) << sub.status();
  auto first =
      (*store)->Append("acme", "s", ExpectedVersion::NoStream(), Events(2));
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE((*sub)->WaitFor(2, kWait));

  ASSERT_GE(TerminateSessions(harness_.url(), app_), 3);

  auto second =
      (*store)->Append("acme", "s", ExpectedVersion::Exact(2), Events(2));
  ASSERT_TRUE(second.ok()) << second.status();
  auto read = (*store)->ReadStream("acme", "s", 1, 10);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->size(), 4u);
  ASSERT_TRUE((*sub)->WaitFor(4, kWait)) << (*sub)->status();
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ(seen, (std::vector<int64_t>{1, 2, 3, 4}));
}

}  // namespace
}  // namespace stockpile::store
