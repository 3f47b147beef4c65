#include "runtime/sqlite_statement.h"

#include <sqlite3.h>

#include <utility>

namespace stockpile::runtime {
namespace {

core::Status SqlError(sqlite3* db, std::string_view what) {
  std::string message = std::string(what) + ": " + sqlite3_errmsg(db);
  const int code = sqlite3_errcode(db) & 0xff;
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED || code == SQLITE_FULL ||
      code == SQLITE_IOERR) {
    return core::UnavailableError(message);
  }
  if (code == SQLITE_CONSTRAINT) return core::AlreadyExistsError(message);
  return core::InternalError(message);
}

}  // namespace

core::Result<SqlStatement> SqlStatement::Prepare(sqlite3* db,
                                                 std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt,
                         nullptr) != SQLITE_OK) {
    return SqlError(db, "prepare");
  }
  return SqlStatement(db, stmt);
}

SqlStatement::~SqlStatement() {
  if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

SqlStatement::SqlStatement(SqlStatement&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)) {}

SqlStatement& SqlStatement::Bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

SqlStatement& SqlStatement::Bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()),
                    SQLITE_TRANSIENT);
  return *this;
}

core::Result<bool> SqlStatement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqlError(db_, "step");
}

core::Status SqlStatement::Run() {
  core::Result<bool> row = Step();
  return row.ok() ? core::Status::Ok() : row.status();
}

int64_t SqlStatement::Int(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string SqlStatement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  return text == nullptr ? std::string()
                         : std::string(reinterpret_cast<const char*>(text),
                                       static_cast<size_t>(size));
}

}  // namespace stockpile::runtime
