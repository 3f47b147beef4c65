// PgConnection: one libpq connection with the few operations the
// PostgreSQL event store needs — prepared statements with bound text
// parameters, pipelines of them (one round trip for many statements), and
// LISTEN notifications. libpq itself is only seen by pg_connection.cc.
//
//   ASSIGN_OR_RETURN(auto conn, PgConnection::Connect(url));
//   RETURN_IF_ERROR(conn->Prepare("head", "SELECT position FROM store_head"));
//   ASSIGN_OR_RETURN(PgResult r, conn->Execute("head", {}));
//   int64_t head = r.GetInt(0, 0);
//
// Errors: Unavailable when the server cannot be reached or the connection
// broke (broken() is then true and the connection must be replaced);
// Internal for a statement the server refused; Conflict for a serialization
// or unique-key failure.
//
// Thread-safety: none; a PgConnection is used by one thread at a time.
#ifndef STOCKPILE_STORE_PG_CONNECTION_H_
#define STOCKPILE_STORE_PG_CONNECTION_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/status.h"

struct pg_conn;
struct pg_result;

namespace stockpile::store {

// The rows of one statement. Owns its libpq result. Text format values.
class PgResult {
 public:
  explicit PgResult(pg_result* result);
  PgResult(PgResult&& other) noexcept;
  PgResult& operator=(PgResult&& other) noexcept;
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;
  ~PgResult();

  int rows() const;
  // Rows changed by an INSERT / UPDATE / DELETE.
  int64_t affected() const;
  bool IsNull(int row, int col) const;
  // The value's text; "" for NULL. Valid while this PgResult lives.
  std::string_view Get(int row, int col) const;
  // The value as an integer; 0 for NULL.
  int64_t GetInt(int row, int col) const;
  std::optional<int64_t> GetOptionalInt(int row, int col) const;
  bool GetBool(int row, int col) const { return Get(row, col) == "t"; }

 private:
  pg_result* result_;
};

// Bound parameters of one statement, as text. NULL is std::nullopt.
using PgParams = std::vector<std::optional<std::string>>;

// One statement of a pipeline: a prepared statement name and its values.
struct PgCommand {
  std::string statement;
  PgParams params;
};

class PgConnection {
 public:
  // `conninfo` is a libpq URL ("postgres://user:pass@127.0.0.1:5432/db",
  // query parameters such as ?options=-csearch_path%3Dx allowed) or a
  // key=value string.
  static core::Result<std::unique_ptr<PgConnection>> Connect(
      const std::string& conninfo);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // True once an operation found the connection unusable.
  bool broken() const;

  // For an idle connection that does not LISTEN: true when the server has
  // closed it meanwhile (a restart, pg_terminate_backend, an idle timeout),
  // which libpq otherwise reports only when the next statement fails; the
  // connection is then broken(). Any unsolicited input counts as closing.
  // Does not block.
  bool ClosedByServer();

  // True inside a transaction that a failed statement aborted: it can only
  // be rolled back (a COMMIT would silently roll back too).
  bool in_failed_transaction() const;

  // Prepares `sql` under `name` for Execute / Pipeline.
  core::Status Prepare(const std::string& name, const std::string& sql);

  // Runs parameterless SQL text (DDL, BEGIN, COMMIT). Several statements
  // separated by ';' are allowed; the last result is returned.
  core::Result<PgResult> Run(const std::string& sql);

  // Executes a prepared statement.
  core::Result<PgResult> Execute(const std::string& statement,
                                 const PgParams& params);

  // Sends every command, then waits for all results: one round trip. On the
  // first failing command the rest are skipped by the server and that
  // failure is returned; an open transaction is then aborted (the caller
  // must ROLLBACK). `results` gets one entry per command on success.
  core::Result<std::vector<PgResult>> Pipeline(
      const std::vector<PgCommand>& commands);

  // LISTEN support: subscribes to `channel` (any text; quoted here), the
  // socket to wait on, and a drain of pending notifications (their count;
  // negative when the connection broke).
  core::Status Listen(const std::string& channel);
  int socket() const;
  int DrainNotifications();

 private:
  explicit PgConnection(pg_conn* conn) : conn_(conn) {}
  core::Status Error(std::string_view what, pg_result* result);

  pg_conn* conn_;  // owned
  bool broken_ = false;
};

// Appends `value` to `out` as one element of a PostgreSQL array literal
// ("{...}"), quoted and escaped, so arrays travel as bound parameters.
void AppendArrayElement(std::string_view value, std::string& out);
// Builds the array literal of `values`.
std::string ArrayLiteral(const std::vector<std::string>& values);

}  // namespace stockpile::store

#endif  // STOCKPILE_STORE_PG_CONNECTION_H_
