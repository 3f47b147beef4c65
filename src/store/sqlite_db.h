// SqliteDb: one SQLite connection with a cache of prepared statements, and
// SqliteStatement, a prepared statement with bound parameters. The only
// place besides sqlite_event_store.cc that knows the SQLite API; sqlite3.h
// is included by the .cc files alone.
//
//   ASSIGN_OR_RETURN(auto db, SqliteDb::Open(path, SqliteDb::kReadWrite));
//   ASSIGN_OR_RETURN(auto st, db->Prepare("SELECT version FROM streams "
//                                         "WHERE tenant = ?1 AND name = ?2"));
//   st.Bind(1, tenant).Bind(2, stream);
//   ASSIGN_OR_RETURN(bool row, st.Step());
//
// Bound text is not copied: it must stay alive until the statement is reset
// (the ScopedStatement going out of scope resets it, which also ends the
// statement's implicit read transaction).
//
// Thread-safety: a SqliteDb and its statements must be used by one thread at
// a time (connections are not shared; SqliteEventStore pools them).
#ifndef STOCKPILE_STORE_SQLITE_DB_H_
#define STOCKPILE_STORE_SQLITE_DB_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "core/result.h"
#include "core/status.h"
#include "core/string_hash.h"

struct sqlite3;
struct sqlite3_stmt;

namespace stockpile::store {

// A cached prepared statement in use; resets it (and clears bindings) on
// destruction. Borrowed from its SqliteDb, which must outlive it.
class ScopedStatement {
 public:
  explicit ScopedStatement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~ScopedStatement();
  ScopedStatement(ScopedStatement&& other) noexcept
      : stmt_(std::exchange(other.stmt_, nullptr)) {}
  ScopedStatement& operator=(ScopedStatement&&) = delete;

  // Resets the statement and clears its bindings, to run it again.
  void Reset();

  // Parameters are 1-based, as in SQL "?1".
  ScopedStatement& Bind(int index, int64_t value);
  ScopedStatement& Bind(int index, std::string_view text);
  ScopedStatement& BindNull(int index);

  // True when a row is available, false when done.
  core::Result<bool> Step();
  // Steps a statement that returns no rows.
  core::Status Run();

  int64_t Int(int column) const;
  std::string_view Text(int column) const;
  bool IsNull(int column) const;

 private:
  sqlite3_stmt* stmt_;
};

class SqliteDb {
 public:
  enum Mode { kReadOnly, kReadWrite };
  // kBuffered writes a commit's WAL frames in one go (sqlite_wal_vfs.h). It
  // relies on every commit syncing the WAL: never lower `synchronous` from
  // FULL on such a connection (readers would see frames not yet written).
  enum WalWrites { kDirect, kBuffered };

  // Opens (kReadWrite: creating) the database at `path` and applies the
  // connection pragmas (WAL, synchronous=FULL, busy timeout). A file that is
  // not a SQLite database is a FailedPrecondition naming the path.
  static core::Result<std::unique_ptr<SqliteDb>> Open(const std::string& path,
                                                      Mode mode,
                                                      WalWrites wal = kDirect);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  // Runs one or more statements without parameters.
  core::Status Exec(std::string_view sql);
  // Runs one statement without parameters, prepared once and cached (for
  // what runs on every transaction: BEGIN, SAVEPOINT, COMMIT).
  core::Status Run(std::string_view sql);
  // The cached statement for `sql`, prepared on first use.
  core::Result<ScopedStatement> Prepare(std::string_view sql);
  // Rows changed by the last statement.
  int64_t Changes() const;
  // The rowid of the last INSERT on this connection.
  int64_t LastInsertRowid() const;

  sqlite3* raw() { return db_; }
  const std::string& path() const { return path_; }

 private:
  SqliteDb(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

  sqlite3* db_;  // owned
  const std::string path_;
  // Looked up by string_view: a cache hit allocates nothing.
  std::unordered_map<std::string, sqlite3_stmt*, core::StringHash,
                     std::equal_to<>>
      statements_;  // owned
};

}  // namespace stockpile::store

#endif  // STOCKPILE_STORE_SQLITE_DB_H_
