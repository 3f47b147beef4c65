#include "store/sqlite_event_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/uuid.h"
#include "store/event_store_conformance.h"
#include "store/sqlite_db.h"

namespace stockpile::store {
namespace {

namespace fs = std::filesystem;

// A fresh temporary directory, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string tmpl =
        (fs::temp_directory_path() / "stockpile-store-XXXXXX").string();
    CHECK(mkdtemp(tmpl.data()) != nullptr) << "mkdtemp failed";
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

class SqliteHarness final : public EventStoreHarness {
 public:
  core::Result<std::unique_ptr<EventStore>> Open(
      EventStoreOptions options) override {
    auto store = SqliteEventStore::Open((dir_.path() / "events.db").string(),
                                        std::move(options));
    if (!store.ok()) return store.status();
    return std::unique_ptr<EventStore>(std::move(store).value());
  }
  bool persistent() const override { return true; }

 private:
  TempDir dir_;
};

INSTANTIATE_TEST_SUITE_P(Sqlite, EventStoreConformanceTest,
                         testing::Values(ConformanceBackend{
                             "sqlite",
                             [] { return std::make_unique<SqliteHarness>(); }}),
                         ConformanceBackendName);

core::Event MakeEvent(core::UuidV7Generator& ids, const core::Clock& clock) {
  return core::EventBuilder("test.thing.happened")
      .Aggregate("thing", "t-1")
      .Tenant("acme")
      .Payload({{"n", 1}})
      .BuildValue(ids, clock);
}

TEST(SqliteEventStoreTest, NonSqliteFileIsAClearErrorAtOpen) {
  TempDir dir;
  const std::string path = (dir.path() / "events.db").string();
  {
    std::ofstream out(path, std::ios::binary);
    out << std::string(8192, 'x') << "this is not a database";
  }
  auto store = SqliteEventStore::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), core::StatusCode::kFailedPrecondition);
  EXPECT_THAT(store.status().message(), testing::HasSubstr(path));
  // The file is left as it was.
  EXPECT_EQ(fs::file_size(path), 8192u + 22u);
}

// A database written at schema version 1 (eventIds unique per stream) is
// migrated at open; what it holds is kept and still answers retries.
TEST(SqliteEventStoreTest, MigratesAVersionOneDatabase) {
  TempDir dir;
  core::ManualClock clock;
  core::UuidV7Generator ids(clock);
  const std::string path = (dir.path() / "events.db").string();
  const core::Event first = MakeEvent(ids, clock);
  {
    auto store = SqliteEventStore::Open(path);
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE((*store)
                    ->Append("acme", "s", ExpectedVersion::NoStream(), {first})
                    .ok());
  }
  auto exec = [&](const char* sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    sqlite3_close(db);
  };
  exec(
      "DROP INDEX events_by_event_id;"
      "CREATE UNIQUE INDEX events_by_id ON events (stream_id, event_id);"
      "DELETE FROM schema_version WHERE version > 1;");

  auto store = SqliteEventStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  auto again = (*store)->Append("acme", "s", ExpectedVersion::Any(), {first});
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->first_position, 1);
  auto next = (*store)->Append("acme", "s", ExpectedVersion::Exact(1),
                               {MakeEvent(ids, clock)});
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->stream_version, 2);
  store->reset();
  // Version 2's index replaced version 1's.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  auto count = [&](const char* sql) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &st, nullptr), SQLITE_OK);
    int64_t n =
        sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return n;
  };
  EXPECT_EQ(count("SELECT COUNT(*) FROM sqlite_master WHERE name = "
                  "'events_by_event_id'"),
            1);
  EXPECT_EQ(
      count("SELECT COUNT(*) FROM sqlite_master WHERE name = 'events_by_id'"),
      0);
  EXPECT_EQ(count("SELECT MAX(version) FROM schema_version"), 2);
  sqlite3_close(db);
}

TEST(SqliteEventStoreTest, DirectoryPathIsAClearError) {
  TempDir dir;
  auto store = SqliteEventStore::Open(dir.path().string());
  ASSERT_FALSE(store.ok());
}

// A store file in a fresh directory, and events to append to it.
class SqliteStoreFileTest : public ::testing::Test {
 protected:
  TempDir dir;
  const std::string path = (dir.path() / "events.db").string();
  core::ManualClock clock;
  core::UuidV7Generator ids{clock};
};

TEST_F(SqliteStoreFileTest, TransactCommitsEffectAndEventsTogether) {
  auto store = SqliteEventStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  auto exec = [](SqliteDb& db, const char* sql) { return db.Exec(sql); };
  ASSERT_TRUE((*store)
                  ->Transact([&](SqliteTransaction& tx) {
                    return exec(tx.db(),
                                "CREATE TABLE checkpoints (name TEXT PRIMARY "
                                "KEY, position INTEGER)");
                  })
                  .ok());
  // A failing work item leaves neither its SQL nor its events behind.
  core::Status failed = (*store)->Transact([&](SqliteTransaction& tx) {
    auto r =
        tx.Append("acme", "s", ExpectedVersion::Any(), {MakeEvent(ids, clock)});
    if (!r.ok()) return r.status();
    core::Status s = exec(tx.db(), "INSERT INTO checkpoints VALUES ('p', 1)");
    if (!s.ok()) return s;
    return core::UnavailableError("handler failed");
  });
  EXPECT_EQ(failed.code(), core::StatusCode::kUnavailable);
  EXPECT_EQ(*(*store)->HeadPosition(), 0);
  EXPECT_EQ((*store)->StreamVersion("acme", "s").status().code(),
            core::StatusCode::kNotFound);
  // A succeeding one commits both.
  ASSERT_TRUE((*store)
                  ->Transact([&](SqliteTransaction& tx) {
                    auto r = tx.Append("acme", "s", ExpectedVersion::NoStream(),
                                       {MakeEvent(ids, clock)});
                    if (!r.ok()) return r.status();
                    return exec(tx.db(),
                                "INSERT INTO checkpoints VALUES ('p', 1)");
                  })
                  .ok());
  EXPECT_EQ(*(*store)->HeadPosition(), 1);
  store->reset();
  auto reopened = SqliteEventStore::Open(path);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(*(*reopened)->StreamVersion("acme", "s"), 1);
  int64_t checkpoint = 0;
  ASSERT_TRUE((*reopened)
                  ->Transact([&](SqliteTransaction& tx) {
                    auto st =
                        tx.db().Prepare("SELECT position FROM checkpoints");
                    if (!st.ok()) return st.status();
                    auto row = st->Step();
                    if (!row.ok()) return row.status();
                    if (*row) checkpoint = st->Int(0);
                    return core::Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(checkpoint, 1);
}

// StreamVersion is answered from memory for streams the writer committed:
// a rolled-back append never shows, a deletion answers NotFound, and a
// store opened afresh (nothing in memory) answers the same from disk.
TEST_F(SqliteStoreFileTest, StreamVersionAnswersOnlyWhatIsCommitted) {
  auto store = SqliteEventStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  ASSERT_TRUE((*store)
                  ->Append("acme", "s", ExpectedVersion::NoStream(),
                           {MakeEvent(ids, clock), MakeEvent(ids, clock)})
                  .ok());
  ASSERT_TRUE((*store)
                  ->Append("acme", "gone", ExpectedVersion::NoStream(),
                           {MakeEvent(ids, clock)})
                  .ok());
  EXPECT_EQ(*(*store)->StreamVersion("acme", "s"), 2);
  core::Status failed = (*store)->Transact([&](SqliteTransaction& tx) {
    auto r = tx.Append("acme", "s", ExpectedVersion::Exact(2),
                       {MakeEvent(ids, clock)});
    if (!r.ok()) return r.status();
    return core::UnavailableError("handler failed");
  });
  ASSERT_EQ(failed.code(), core::StatusCode::kUnavailable);
  EXPECT_EQ(*(*store)->StreamVersion("acme", "s"), 2);
  ASSERT_TRUE((*store)
                  ->Transact([&](SqliteTransaction& tx) {
                    return tx
                        .Append("acme", "s", ExpectedVersion::Exact(2),
                                {MakeEvent(ids, clock)})
                        .status();
                  })
                  .ok());
  EXPECT_EQ(*(*store)->StreamVersion("acme", "s"), 3);
  EXPECT_EQ((*store)->StreamVersion("other", "s").status().code(),
            core::StatusCode::kNotFound);
  ASSERT_TRUE(
      (*store)->DeleteStream("acme", "gone", ExpectedVersion::Exact(1)).ok());
  EXPECT_EQ((*store)->StreamVersion("acme", "gone").status().code(),
            core::StatusCode::kNotFound);
  store->reset();
  auto reopened = SqliteEventStore::Open(path);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ(*(*reopened)->StreamVersion("acme", "s"), 3);
  EXPECT_EQ((*reopened)->StreamVersion("acme", "gone").status().code(),
            core::StatusCode::kNotFound);
}

// ReadAll near the head is answered from the events the writer committed
// (RecentEvents); after a rolled-back append and a scavenge it still reads
// exactly what a store opened afresh reads from disk.
TEST_F(SqliteStoreFileTest, ReadsNearTheHeadAgreeWithTheDatabase) {
  auto store = SqliteEventStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  auto append = [&](const char* stream, int n) {
    std::vector<core::Event> events;
    for (int i = 0; i < n; ++i) events.push_back(MakeEvent(ids, clock));
    ASSERT_TRUE(
        (*store)->Append("acme", stream, ExpectedVersion::Any(), events).ok());
  };
  append("a", 3);
  append("b", 2);
  ASSERT_FALSE((*store)
                   ->Transact([&](SqliteTransaction& tx) {
                     auto r = tx.Append("acme", "a", ExpectedVersion::Any(),
                                        {MakeEvent(ids, clock)});
                     if (!r.ok()) return r.status();
                     return core::UnavailableError("handler failed");
                   })
                   .ok());
  append("b", 1);
  append("a", 2);  // in memory: the scavenge deletes one of them
  ASSERT_TRUE((*store)->SetStreamMetadata("acme", "a", {.max_count = 1}).ok());
  ASSERT_TRUE((*store)->Scavenge().ok());
  append("c", 2);
  auto ids_after = [](EventStore& s, int64_t after) {
    std::vector<std::string> out;
    auto page = s.ReadAll(after, 100, ReadFilter::AllTenants());
    EXPECT_TRUE(page.ok()) << page.status();
    if (page.ok()) {
      for (const core::EventPtr& e : page->events) out.push_back(e->event_id);
    }
    return out;
  };
  const int64_t head = *(*store)->HeadPosition();
  std::vector<std::vector<std::string>> live;
  for (int64_t after = 0; after <= head; ++after) {
    live.push_back(ids_after(**store, after));
  }
  EXPECT_EQ(live.front().size(), 6u);  // 3 + 2 + 1 + 2 + 2, less 4 of "a"
  store->reset();
  auto reopened = SqliteEventStore::Open(path);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  for (int64_t after = 0; after <= head; ++after) {
    EXPECT_EQ(ids_after(**reopened, after), live[after]) << "after " << after;
  }
}

}  // namespace
}  // namespace stockpile::store
