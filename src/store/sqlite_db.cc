#include "store/sqlite_db.h"

#include <sqlite3.h>

#include <utility>

#include "store/sqlite_wal_vfs.h"

namespace stockpile::store {

namespace {

core::Status StatusFor(sqlite3* db, int rc, std::string_view what) {
  std::string msg =
      std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return core::UnavailableError(msg);
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return core::FailedPreconditionError(msg);
    case SQLITE_CONSTRAINT:
      return core::ConflictError(msg);
    case SQLITE_FULL:
      return core::ResourceExhaustedError(msg);
    default:
      return core::InternalError(msg);
  }
}

}  // namespace

ScopedStatement::~ScopedStatement() {
  if (stmt_ != nullptr) Reset();
}

void ScopedStatement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

ScopedStatement& ScopedStatement::Bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

ScopedStatement& ScopedStatement::Bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()),
                    SQLITE_STATIC);
  return *this;
}

ScopedStatement& ScopedStatement::BindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

core::Result<bool> ScopedStatement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return StatusFor(sqlite3_db_handle(stmt_), rc, "sqlite step");
}

core::Status ScopedStatement::Run() {
  core::Result<bool> r = Step();
  return r.ok() ? core::Status::Ok() : r.status();
}

int64_t ScopedStatement::Int(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string_view ScopedStatement::Text(int column) const {
  const auto* p =
      reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (p == nullptr) return {};
  return std::string_view(
      p, static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

bool ScopedStatement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

core::Result<std::unique_ptr<SqliteDb>> SqliteDb::Open(const std::string& path,
                                                       Mode mode,
                                                       WalWrites wal) {
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_NOMUTEX |
              (mode == kReadWrite ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                                  : SQLITE_OPEN_READONLY);
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags,
                           wal == kBuffered ? BufferedWalVfsName() : nullptr);
  std::unique_ptr<SqliteDb> db(new SqliteDb(raw, path));
  if (rc != SQLITE_OK) {
    return StatusFor(raw, rc, "cannot open SQLite database '" + path + "'");
  }
  sqlite3_extended_result_codes(raw, 1);
  // The first statement reads the header: a non-SQLite file fails here.
  core::Status s = db->Exec(
      "PRAGMA busy_timeout = 10000;"
      "PRAGMA journal_mode = WAL;"
      "PRAGMA synchronous = FULL;"
      "PRAGMA foreign_keys = ON;");
  if (!s.ok()) {
    return core::FailedPreconditionError(
        "'" + path + "' is not a usable SQLite database (" + s.message() + ")");
  }
  return db;
}

SqliteDb::~SqliteDb() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

core::Status SqliteDb::Exec(std::string_view sql) {
  std::string text(sql);
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return StatusFor(db_, rc, "sqlite exec");
  return core::Status::Ok();
}

core::Status SqliteDb::Run(std::string_view sql) {
  core::Result<ScopedStatement> st = Prepare(sql);
  return st.ok() ? st->Run() : st.status();
}

core::Result<ScopedStatement> SqliteDb::Prepare(std::string_view sql) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) return ScopedStatement(it->second);
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return StatusFor(db_, rc, "sqlite prepare");
  statements_.emplace(std::string(sql), stmt);
  return ScopedStatement(stmt);
}

int64_t SqliteDb::Changes() const { return sqlite3_changes64(db_); }

int64_t SqliteDb::LastInsertRowid() const {
  return sqlite3_last_insert_rowid(db_);
}

}  // namespace stockpile::store
