// SqlStatement: a prepared statement with bound parameters on the SQLite
// connection of a SqliteTransaction (the event store's writer connection),
// finalized when it goes out of scope. sqlite3.h stays in the .cc.
//
//   ASSIGN_OR_RETURN(auto st, SqlStatement::Prepare(tx.db(),
//       "INSERT INTO runtime_inbox(subscription, event_id) VALUES (?1, ?2)"));
//   st.Bind(1, name).Bind(2, event_id);
//   RETURN_IF_ERROR(st.Run());
//
// Bound text is copied (SQLITE_TRANSIENT).
// Thread-safety: used by the thread that owns the connection.
#ifndef STOCKPILE_RUNTIME_SQLITE_STATEMENT_H_
#define STOCKPILE_RUNTIME_SQLITE_STATEMENT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace stockpile::runtime {

class SqlStatement {
 public:
  static core::Result<SqlStatement> Prepare(sqlite3* db, std::string_view sql);
  ~SqlStatement();
  SqlStatement(SqlStatement&& other) noexcept;
  SqlStatement& operator=(SqlStatement&&) = delete;

  SqlStatement& Bind(int index, int64_t value);
  SqlStatement& Bind(int index, std::string_view text);

  // True when a row is available, false when done.
  core::Result<bool> Step();
  core::Status Run();
  int64_t Int(int column) const;
  std::string Text(int column) const;

 private:
  SqlStatement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  sqlite3* db_;
  sqlite3_stmt* stmt_;  // owned
};

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_SQLITE_STATEMENT_H_
