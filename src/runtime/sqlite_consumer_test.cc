// The consumer stores on SQLite (tables in the event store's file) pass the
// consumer-store conformance suite: restart from the checkpoint with no
// lost and no doubled effects, durable retries, dead letters on disk.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "core/status_macros.h"
#include "runtime/consumer_stores_conformance.h"
#include "runtime/sqlite_consumer_stores.h"
#include "store/sqlite_db.h"
#include "store/sqlite_event_store.h"

namespace stockpile::runtime {
namespace {

class SqliteConsumerHarness final : public ConsumerStoresHarness {
 public:
  SqliteConsumerHarness() : path_(TempPath()) { Cleanup(); }
  ~SqliteConsumerHarness() override {
    Close();
    Cleanup();
  }

  core::Status Open() override {
    ASSIGN_OR_RETURN(auto sqlite,
                     store::SqliteEventStore::Open(path_.string()));
    sqlite_ = sqlite.get();
    store_ = std::move(sqlite);
    ASSIGN_OR_RETURN(stores_, OpenSqliteConsumerStores(*sqlite_));
    return Exec(
        "CREATE TABLE IF NOT EXISTS effects (event_id TEXT PRIMARY KEY,"
        " n INTEGER NOT NULL)");
  }
  core::Status CountEffect(Transaction& tx,
                           const std::string& event_id) override {
    ASSIGN_OR_RETURN(auto st,
                     tx.sqlite()->db().Prepare(
                         "INSERT INTO effects (event_id, n) VALUES (?1, 1)"
                         " ON CONFLICT (event_id) DO UPDATE SET n = n + 1"));
    st.Bind(1, event_id);
    return st.Run();
  }
  core::Result<std::pair<int64_t, int64_t>> Effects() override {
    std::pair<int64_t, int64_t> out;
    RETURN_IF_ERROR(sqlite_->Transact([&](store::SqliteTransaction& tx) {
      ASSIGN_OR_RETURN(
          auto st,
          tx.db().Prepare("SELECT count(*), coalesce(sum(n), 0) FROM effects"));
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (row) out = {st.Int(0), st.Int(1)};
      return core::Status::Ok();
    }));
    return out;
  }
  core::Status RewindCheckpoints(int64_t position) override {
    return sqlite_->Transact([&](store::SqliteTransaction& tx) {
      ASSIGN_OR_RETURN(
          auto st,
          tx.db().Prepare("UPDATE runtime_checkpoints SET position = ?1"));
      st.Bind(1, position);
      return st.Run();
    });
  }

 private:
  core::Status Exec(const char* sql) {
    return sqlite_->Transact(
        [&](store::SqliteTransaction& tx) { return tx.db().Exec(sql); });
  }
  // Unique per run and test ("Suite.Name/sqlite" -> "Name_sqlite").
  static std::filesystem::path TempPath() {
    const auto* unit = ::testing::UnitTest::GetInstance();
    std::string name = unit->current_test_info()->name();
    for (char& c : name) {
      if (c == '/') c = '_';
    }
    return std::filesystem::temp_directory_path() /
           ("runtime-" + std::to_string(unit->random_seed()) + "-" + name +
            ".db");
  }
  void Cleanup() {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(path_.string() + suffix);
    }
  }

  const std::filesystem::path path_;
  store::SqliteEventStore* sqlite_ = nullptr;  // store_, while open
};

INSTANTIATE_TEST_SUITE_P(
    Sqlite, ConsumerStoresConformanceTest,
    ::testing::Values(ConsumerStoresBackend{
        "sqlite", [] { return std::make_unique<SqliteConsumerHarness>(); }}),
    ConsumerStoresBackendName);

}  // namespace
}  // namespace stockpile::runtime
