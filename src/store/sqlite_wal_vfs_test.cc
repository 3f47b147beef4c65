#include "store/sqlite_wal_vfs.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace stockpile::store {
namespace {

namespace fs = std::filesystem;

class WalVfsTest : public testing::Test {
 protected:
  WalVfsTest() {
    std::string tmpl =
        (fs::temp_directory_path() / "stockpile-walvfs-XXXXXX").string();
    EXPECT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    path_ = (dir_ / "t.db").string();
  }
  ~WalVfsTest() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // A connection through the buffered VFS, WAL + synchronous=FULL as
  // SqliteDb opens them.
  sqlite3* Open() {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(path_.c_str(), &db,
                              SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                              BufferedWalVfsName()),
              SQLITE_OK);
    Exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
    return db;
  }
  static void Exec(sqlite3* db, const std::string& sql) {
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error),
              SQLITE_OK)
        << (error ? error : "") << " in " << sql;
    sqlite3_free(error);
  }
  static int64_t Count(sqlite3* db, const char* sql) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &st, nullptr), SQLITE_OK);
    const int64_t n =
        sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return n;
  }

  fs::path dir_;
  std::string path_;
};

TEST_F(WalVfsTest, IsRegisteredBesideTheDefault) {
  ASSERT_NE(BufferedWalVfsName(), nullptr);
  EXPECT_EQ(BufferedWalVfsName(), BufferedWalVfsName());
  sqlite3_vfs* vfs = sqlite3_vfs_find(BufferedWalVfsName());
  ASSERT_NE(vfs, nullptr);
  EXPECT_NE(sqlite3_vfs_find(nullptr), vfs);  // not made the default
}

// Each commit is visible to another connection as soon as it returns, and
// everything is there after both close.
TEST_F(WalVfsTest, CommitsAreVisibleToOtherConnectionsAndDurable) {
  sqlite3* writer = Open();
  sqlite3* reader = Open();
  Exec(writer, "CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)");
  Exec(writer, "CREATE INDEX t_v ON t (v)");
  for (int i = 1; i <= 200; ++i) {
    Exec(writer, "BEGIN");
    for (int j = 0; j < 20; ++j) {
      Exec(writer, "INSERT INTO t (v) VALUES (hex(randomblob(64)))");
    }
    Exec(writer, "COMMIT");
    ASSERT_EQ(Count(reader, "SELECT COUNT(*) FROM t"), i * 20);
  }
  sqlite3_close(reader);
  sqlite3_close(writer);
  sqlite3* again = Open();
  EXPECT_EQ(Count(again, "SELECT COUNT(*) FROM t"), 4000);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(
      sqlite3_prepare_v2(again, "PRAGMA integrity_check", -1, &st, nullptr),
      SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "ok");
  sqlite3_finalize(st);
  sqlite3_close(again);
}

// A transaction larger than the page cache spills pages into the WAL before
// it commits and reads them back; one larger than the buffer flushes
// midway. Both read what was written.
TEST_F(WalVfsTest, LargeTransactionsSpillAndReadBack) {
  sqlite3* db = Open();
  Exec(db, "PRAGMA cache_size = 16");  // pages
  Exec(db, "CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)");
  Exec(db, "BEGIN");
  const int64_t rows = 2 * kMaxBufferedWalBytes / 1000;
  Exec(db,
       "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
       "WHERE i < " +
           std::to_string(rows) +
           ") INSERT INTO t SELECT i, zeroblob(1000) FROM n");
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM t"), rows);
  EXPECT_EQ(Count(db, "SELECT SUM(length(v)) FROM t"), rows * 1000);
  Exec(db, "COMMIT");
  sqlite3_close(db);
  sqlite3* again = Open();
  EXPECT_EQ(Count(again, "SELECT SUM(length(v)) FROM t"), rows * 1000);
  sqlite3_close(again);
}

// A process that dies without closing anything leaves every committed
// transaction behind (the buffer is written before the commit's sync).
TEST_F(WalVfsTest, CommittedDataSurvivesAProcessThatDies) {
  {
    sqlite3* db = Open();
    Exec(db, "CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)");
    sqlite3_close(db);
  }
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    sqlite3* db = nullptr;
    sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READWRITE,
                    BufferedWalVfsName());
    sqlite3_exec(db, "PRAGMA synchronous = FULL", nullptr, nullptr, nullptr);
    for (int i = 0; i < 50; ++i) {
      sqlite3_exec(db, "INSERT INTO t (v) VALUES (hex(randomblob(500)))",
                   nullptr, nullptr, nullptr);
    }
    // An open transaction with buffered frames, then death.
    sqlite3_exec(db, "BEGIN; INSERT INTO t (v) VALUES ('lost');", nullptr,
                 nullptr, nullptr);
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  sqlite3* db = Open();
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM t"), 50);
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM t WHERE v = 'lost'"), 0);
  sqlite3_close(db);
}

}  // namespace
}  // namespace stockpile::store
