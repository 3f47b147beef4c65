// The consumer on the SQLite backend: restart from the checkpoint with no
// lost and no doubled effects, durable retries, dead letters on disk.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "core/status_macros.h"
#include "runtime/consumer.h"
#include "runtime/consumer_test_util.h"
#include "runtime/sqlite_consumer_stores.h"
#include "runtime/sqlite_statement.h"
#include "runtime/store_event_source.h"
#include "store/sqlite_event_store.h"

namespace stockpile::runtime {
namespace {

using std::chrono::milliseconds;

class SqliteConsumerTest : public ::testing::Test {
 protected:
  SqliteConsumerTest()
      : path_(
            std::filesystem::temp_directory_path() /
            ("runtime-" +
             std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() +
             ".db")),
        ids_(clock_) {
    Cleanup();
  }
  ~SqliteConsumerTest() override {
    Close();
    Cleanup();
  }
  void Cleanup() {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(path_.string() + suffix);
    }
  }
  void Open() {
    auto store = store::SqliteEventStore::Open(path_.string());
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(store).value();
    source_ = std::make_unique<StoreEventSource>(*store_);
    auto stores = OpenSqliteConsumerStores(*store_);
    ASSERT_TRUE(stores.ok()) << stores.status();
    stores_ = std::move(stores).value();
    ASSERT_TRUE(store_
                    ->Transact([](store::SqliteTransaction& tx) {
                      ASSIGN_OR_RETURN(
                          auto st,
                          SqlStatement::Prepare(
                              tx.db(),
                              "CREATE TABLE IF NOT EXISTS effects (event_id "
                              "TEXT PRIMARY KEY, n INTEGER NOT NULL)"));
                      return st.Run();
                    })
                    .ok());
  }
  void Close() {
    consumer_.reset();
    stores_ = {};
    source_.reset();
    store_.reset();
  }
  void StartConsumer(Handler handler, int workers = 4) {
    ConsumerOptions options;
    options.name = "projection";
    options.handler = std::move(handler);
    options.workers = workers;
    options.poll_interval = milliseconds(1);
    auto started = Consumer::Start(
        options, ConsumerDeps{.source = source_.get(),
                              .transactions = stores_.transactions.get(),
                              .checkpoints = stores_.checkpoints.get(),
                              .inbox = stores_.inbox.get(),
                              .dead_letters = stores_.dead_letters.get(),
                              .clock = &clock_,
                              .jitter = &jitter_});
    ASSERT_TRUE(started.ok()) << started.status();
    consumer_ = std::move(started).value();
  }
  // A handler whose effect counts deliveries per event in `effects`.
  static Handler CountingHandler() {
    return [](const core::EventPtr& e, HandlerContext& ctx) {
      ctx.AddEffect([id = e->event_id](Transaction& tx) {
        ASSIGN_OR_RETURN(
            auto st, SqlStatement::Prepare(
                         tx.sqlite()->db(),
                         "INSERT INTO effects (event_id, n) VALUES (?1, 1)"
                         " ON CONFLICT (event_id) DO UPDATE SET n = n + 1"));
        st.Bind(1, id);
        return st.Run();
      });
      return HandlerOutcome::Ok();
    };
  }
  // {rows, sum of n} of the effects table.
  std::pair<int64_t, int64_t> Effects() {
    std::pair<int64_t, int64_t> out;
    EXPECT_TRUE(store_
                    ->Transact([&](store::SqliteTransaction& tx) {
                      ASSIGN_OR_RETURN(
                          auto st, SqlStatement::Prepare(
                                       tx.db(),
                                       "SELECT count(*), coalesce(sum(n), 0) "
                                       "FROM effects"));
                      ASSIGN_OR_RETURN(bool row, st.Step());
                      if (row) out = {st.Int(0), st.Int(1)};
                      return core::Status::Ok();
                    })
                    .ok());
    return out;
  }
  int64_t Append(const std::string& aggregate) {
    return testing::AppendEvent(*store_, ids_, clock_, aggregate);
  }

  std::filesystem::path path_;
  core::ManualClock clock_;
  core::UuidV7Generator ids_;
  FixedJitter jitter_{0.5};
  std::unique_ptr<store::SqliteEventStore> store_;
  std::unique_ptr<StoreEventSource> source_;
  SqliteConsumerStores stores_;
  std::unique_ptr<Consumer> consumer_;
};

TEST_F(SqliteConsumerTest, RestartLosesNothingAndDoublesNothing) {
  Open();
  int64_t last = 0;
  for (int i = 0; i < 30; ++i) last = Append("o-" + std::to_string(i % 7));
  StartConsumer(CountingHandler());
  ASSERT_TRUE(consumer_->WaitForCheckpoint(last, milliseconds(20000)));
  Close();

  // Worst case for the inbox: the checkpoint is behind everything that was
  // committed (as after a crash between a commit and the next checkpoint).
  Open();
  ASSERT_TRUE(store_
                  ->Transact([](store::SqliteTransaction& tx) {
                    ASSIGN_OR_RETURN(auto st, SqlStatement::Prepare(
                                                  tx.db(),
                                                  "UPDATE runtime_checkpoints "
                                                  "SET position = 5"));
                    return st.Run();
                  })
                  .ok());
  StartConsumer(CountingHandler());
  for (int i = 0; i < 10; ++i) last = Append("o-" + std::to_string(i % 3));
  ASSERT_TRUE(consumer_->WaitForCheckpoint(last, milliseconds(20000)));
  EXPECT_EQ(consumer_->Stats().duplicates, 25);
  EXPECT_EQ(consumer_->Stats().processed, 10);
  EXPECT_EQ(Effects(), (std::pair<int64_t, int64_t>{40, 40}));
  consumer_->Stop();
  EXPECT_EQ(*stores_.checkpoints->Load("projection"), last);
}

TEST_F(SqliteConsumerTest, PendingRetryAndDeadLettersSurviveARestart) {
  Open();
  const int64_t pos = Append("o-1");
  StartConsumer([](const core::EventPtr&, HandlerContext& ctx) {
    return ctx.attempt() == 1 ? HandlerOutcome::Retryable("timeout")
                              : HandlerOutcome::Permanent("invalid");
  });
  ASSERT_TRUE(
      testing::WaitUntil([&] { return consumer_->Stats().retried == 1; }));
  Close();

  Open();
  auto all = stores_.dead_letters->ListAll("projection");
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ(all->front().state, DeadLetterState::kRetrying);
  EXPECT_EQ(all->front().next_attempt_at_ms, clock_.NowMillis() + 500);
  EXPECT_TRUE(stores_.dead_letters->List("projection")->empty());

  StartConsumer([](const core::EventPtr&, HandlerContext& ctx) {
    return ctx.attempt() == 2 ? HandlerOutcome::Permanent("invalid")
                              : HandlerOutcome::Ok();
  });
  EXPECT_EQ(consumer_->checkpoint(), pos - 1);
  clock_.Advance(milliseconds(500));
  ASSERT_TRUE(consumer_->WaitForCheckpoint(pos, milliseconds(20000)));
  auto parked = stores_.dead_letters->List("projection");
  ASSERT_EQ(parked->size(), 1u);
  EXPECT_EQ(parked->front().attempts, 2);
  EXPECT_EQ(parked->front().error, "invalid");
  EXPECT_EQ(parked->front().state, DeadLetterState::kParked);

  // Redriven after a restart: delivered once (attempt 3 succeeds).
  Close();
  Open();
  StartConsumer([](const core::EventPtr&, HandlerContext&) {
    return HandlerOutcome::Ok();
  });
  ASSERT_EQ(*consumer_->RedriveAll(), 1);
  ASSERT_TRUE(
      testing::WaitUntil([&] { return consumer_->Stats().processed == 1; }));
  EXPECT_TRUE(stores_.dead_letters->ListAll("projection")->empty());
  EXPECT_TRUE(*stores_.inbox->Contains("projection", parked->front().event_id));
}

}  // namespace
}  // namespace stockpile::runtime
