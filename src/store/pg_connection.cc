#include "store/pg_connection.h"

#include <libpq-fe.h>
#include <poll.h>

#include <charconv>
#include <utility>

#include "core/check.h"

namespace stockpile::store {

namespace {

// libpq wants parallel arrays of C strings; NULL stands for SQL NULL.
std::vector<const char*> Values(const PgParams& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  return values;
}

bool IsOk(ExecStatusType status) {
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

std::string FirstLine(const char* message) {
  std::string text = message ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

}  // namespace

PgResult::PgResult(pg_result* result) : result_(result) {}
PgResult::PgResult(PgResult&& other) noexcept
    : result_(std::exchange(other.result_, nullptr)) {}
PgResult& PgResult::operator=(PgResult&& other) noexcept {
  if (this != &other) {
    if (result_) PQclear(result_);
    result_ = std::exchange(other.result_, nullptr);
  }
  return *this;
}
PgResult::~PgResult() {
  if (result_) PQclear(result_);
}

int PgResult::rows() const { return result_ ? PQntuples(result_) : 0; }

int64_t PgResult::affected() const {
  const char* n = result_ ? PQcmdTuples(result_) : "";
  int64_t value = 0;
  std::from_chars(n, n + std::char_traits<char>::length(n), value);
  return value;
}

bool PgResult::IsNull(int row, int col) const {
  return PQgetisnull(result_, row, col) != 0;
}

std::string_view PgResult::Get(int row, int col) const {
  return std::string_view(PQgetvalue(result_, row, col),
                          static_cast<size_t>(PQgetlength(result_, row, col)));
}

int64_t PgResult::GetInt(int row, int col) const {
  std::string_view text = Get(row, col);
  int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

std::optional<int64_t> PgResult::GetOptionalInt(int row, int col) const {
  if (IsNull(row, col)) return std::nullopt;
  return GetInt(row, col);
}

core::Result<std::unique_ptr<PgConnection>> PgConnection::Connect(
    const std::string& conninfo) {
  // Defaults the URL may override (libpq: array entries before an expanded
  // dbname yield to the connection string's own fields): a server that
  // does not answer fails the connect in 10 s instead of hanging it, and
  // TCP keepalives find a peer that vanished (a crashed host, a cut link)
  // under an idle pooled connection within about a minute.
  const char* const keywords[] = {"connect_timeout",
                                  "keepalives",
                                  "keepalives_idle",
                                  "keepalives_interval",
                                  "keepalives_count",
                                  "dbname",
                                  nullptr};
  const char* const values[] = {"10",   "1", "30", "10", "3", conninfo.c_str(),
                                nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr) return core::UnavailableError("postgres: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = FirstLine(PQerrorMessage(conn));
    PQfinish(conn);
    return core::UnavailableError("postgres: cannot connect: " + message);
  }
  return std::unique_ptr<PgConnection>(new PgConnection(conn));
}

PgConnection::~PgConnection() { PQfinish(conn_); }

bool PgConnection::broken() const {
  return broken_ || PQstatus(conn_) != CONNECTION_OK;
}

bool PgConnection::ClosedByServer() {
  if (broken()) return true;
  // An idle connection that does not LISTEN has nothing to read unless the
  // server is ending it: a FATAL notice (57P01 on a restart) and then EOF,
  // which libpq only reports as a broken connection at the next statement.
  // Anything readable therefore retires the connection.
  pollfd fd{PQsocket(conn_), POLLIN, 0};
  if (fd.fd >= 0 && poll(&fd, 1, 0) == 0) return false;
  broken_ = true;
  return true;
}

bool PgConnection::in_failed_transaction() const {
  return PQtransactionStatus(conn_) == PQTRANS_INERROR;
}

core::Status PgConnection::Error(std::string_view what, pg_result* result) {
  const char* state =
      result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string message =
      FirstLine(result ? PQresultErrorMessage(result) : PQerrorMessage(conn_));
  if (message.empty()) message = FirstLine(PQerrorMessage(conn_));
  std::string text = "postgres: " + std::string(what) + ": " + message;
  if (PQstatus(conn_) != CONNECTION_OK) {
    broken_ = true;
    return core::UnavailableError(text);
  }
  const std::string_view code = state ? state : "";
  if (code == "40001" || code == "40P01" || code == "23505") {
    return core::ConflictError(text);
  }
  if (code.substr(0, 2) == "08" || code.substr(0, 2) == "57" ||
      code == "53300") {
    broken_ = code.substr(0, 2) != "53";
    return core::UnavailableError(text);
  }
  return core::InternalError(text);
}

core::Status PgConnection::Prepare(const std::string& name,
                                   const std::string& sql) {
  PGresult* raw = PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr);
  core::Status s = core::Status::Ok();
  if (raw == nullptr || !IsOk(PQresultStatus(raw))) {
    s = Error("prepare " + name, raw);
  }
  if (raw) PQclear(raw);
  return s;
}

core::Result<PgResult> PgConnection::Run(const std::string& sql) {
  PGresult* raw = PQexec(conn_, sql.c_str());
  if (raw == nullptr || !IsOk(PQresultStatus(raw))) {
    core::Status s = Error("'" + sql.substr(0, 40) + "'", raw);
    if (raw) PQclear(raw);
    return s;
  }
  return PgResult(raw);
}

core::Result<PgResult> PgConnection::Execute(const std::string& statement,
                                             const PgParams& params) {
  std::vector<const char*> values = Values(params);
  PGresult* raw =
      PQexecPrepared(conn_, statement.c_str(), static_cast<int>(values.size()),
                     values.data(), nullptr, nullptr, 0);
  if (raw == nullptr || !IsOk(PQresultStatus(raw))) {
    core::Status s = Error(statement, raw);
    if (raw) PQclear(raw);
    return s;
  }
  return PgResult(raw);
}

core::Result<std::vector<PgResult>> PgConnection::Pipeline(
    const std::vector<PgCommand>& commands) {
  if (PQenterPipelineMode(conn_) != 1) {
    return Error("enter pipeline mode", nullptr);
  }
  core::Status failure;
  size_t sent = 0;
  for (const PgCommand& c : commands) {
    std::vector<const char*> values = Values(c.params);
    if (PQsendQueryPrepared(conn_, c.statement.c_str(),
                            static_cast<int>(values.size()), values.data(),
                            nullptr, nullptr, 0) != 1) {
      failure = Error(c.statement, nullptr);
      break;
    }
    ++sent;
  }
  if (PQpipelineSync(conn_) != 1 && failure.ok()) {
    failure = Error("pipeline sync", nullptr);
  }
  std::vector<PgResult> results;
  results.reserve(commands.size());
  // Per command: its result(s), then a NULL; finally the sync's result.
  size_t index = 0;
  bool in_command = false;
  while (!broken_) {
    PGresult* raw = PQgetResult(conn_);
    if (raw == nullptr) {
      if (PQstatus(conn_) != CONNECTION_OK) {
        if (failure.ok()) failure = Error("pipeline", nullptr);
        broken_ = true;
        break;
      }
      if (in_command) ++index;
      in_command = false;
      continue;
    }
    const ExecStatusType status = PQresultStatus(raw);
    if (status == PGRES_PIPELINE_SYNC) {
      PQclear(raw);
      break;
    }
    in_command = true;
    if (IsOk(status)) {
      results.emplace_back(raw);
    } else {
      if (failure.ok()) {
        failure =
            status == PGRES_PIPELINE_ABORTED
                ? core::InternalError("postgres: pipeline aborted")
                : Error(index < sent ? commands[index].statement : "pipeline",
                        raw);
      }
      PQclear(raw);
    }
  }
  if (!broken_ && PQexitPipelineMode(conn_) != 1) {
    broken_ = true;
    if (failure.ok()) failure = Error("exit pipeline mode", nullptr);
  }
  if (!failure.ok()) return failure;
  CHECK(results.size() == commands.size())
      << "pipeline returned " << results.size() << " results for "
      << commands.size() << " commands";
  return results;
}

core::Status PgConnection::Listen(const std::string& channel) {
  char* quoted = PQescapeIdentifier(conn_, channel.c_str(), channel.size());
  if (quoted == nullptr) return Error("escape channel", nullptr);
  const std::string sql = std::string("LISTEN ") + quoted;
  PQfreemem(quoted);
  return Run(sql).status();
}

int PgConnection::socket() const { return PQsocket(conn_); }

int PgConnection::DrainNotifications() {
  if (PQconsumeInput(conn_) != 1) {
    broken_ = true;
    return -1;
  }
  int count = 0;
  while (PGnotify* n = PQnotifies(conn_)) {
    PQfreemem(n);
    ++count;
  }
  return count;
}

void AppendArrayElement(std::string_view value, std::string& out) {
  out.push_back('"');
  for (char c : value) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
}

std::string ArrayLiteral(const std::vector<std::string>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out.push_back(',');
    AppendArrayElement(values[i], out);
  }
  out.push_back('}');
  return out;
}

}  // namespace stockpile::store
