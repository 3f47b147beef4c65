#include "runtime/postgres_consumer_stores.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/check.h"
#include "core/status_macros.h"
#include "runtime/dead_letter_row.h"
#include "store/pg_connection.h"
#include "store/pg_connection_pool.h"

namespace stockpile::runtime {
namespace {

using store::PgConnection;
using store::PgConnectionPool;
using store::PgParams;
using store::PgResult;

// Keyed by schema like the event store's migration lock: processes that
// start together create the tables once (concurrent CREATE TABLE IF NOT
// EXISTS can fail on the catalog's unique keys).
constexpr const char* kSchema = R"sql(
SELECT pg_advisory_xact_lock(hashtext('stockpile_runtime'),
                             hashtext(current_schema()));
CREATE TABLE IF NOT EXISTS runtime_checkpoints (
  subscription text PRIMARY KEY,
  position bigint NOT NULL);
CREATE TABLE IF NOT EXISTS runtime_inbox (
  subscription text NOT NULL,
  event_id text NOT NULL,
  PRIMARY KEY (subscription, event_id));
CREATE TABLE IF NOT EXISTS runtime_dead_letters (
  id text PRIMARY KEY,
  subscription text NOT NULL,
  event_id text NOT NULL,
  event_type text NOT NULL,
  tenant_id text NOT NULL,
  aggregate_id text NOT NULL,
  position bigint NOT NULL,
  error text NOT NULL,
  attempts integer NOT NULL,
  first_failed_at_ms bigint NOT NULL,
  last_failed_at_ms bigint NOT NULL,
  state text NOT NULL,
  next_attempt_at_ms bigint NOT NULL,
  event_json text NOT NULL);
CREATE INDEX IF NOT EXISTS runtime_dead_letters_by_subscription
  ON runtime_dead_letters (subscription, first_failed_at_ms);
CREATE TABLE IF NOT EXISTS runtime_sagas (
  saga text NOT NULL,
  tenant text NOT NULL,
  key text NOT NULL,
  version bigint NOT NULL,
  document text NOT NULL,
  completed boolean NOT NULL,
  updated_at_ms bigint NOT NULL,
  PRIMARY KEY (saga, tenant, key));
CREATE TABLE IF NOT EXISTS runtime_saga_timers (
  saga text NOT NULL,
  tenant text NOT NULL,
  key text NOT NULL,
  name text NOT NULL,
  due_at_ms bigint NOT NULL,
  PRIMARY KEY (saga, tenant, key, name));
CREATE INDEX IF NOT EXISTS runtime_saga_timers_by_due
  ON runtime_saga_timers (saga, due_at_ms);
)sql";

// Prepared statement names.
const std::string kBegin = "runtime_begin";
const std::string kCommit = "runtime_commit";
const std::string kRollback = "runtime_rollback";
const std::string kLoadCheckpoint = "runtime_load_checkpoint";
const std::string kSaveCheckpoint = "runtime_save_checkpoint";
const std::string kInboxContains = "runtime_inbox_contains";
const std::string kInboxAdd = "runtime_inbox_add";
const std::string kPutDeadLetter = "runtime_put_dead_letter";
const std::string kRemoveDeadLetter = "runtime_remove_dead_letter";
const std::string kGetDeadLetter = "runtime_get_dead_letter";
const std::string kListDeadLetters = "runtime_list_dead_letters";
const std::string kListAllDeadLetters = "runtime_list_all_dead_letters";
const std::string kRequestRedrive = "runtime_request_redrive";
const std::string kRequestRedriveAll = "runtime_request_redrive_all";
const std::string kDiscard = "runtime_discard";
const std::string kLoadSaga = "runtime_load_saga";
const std::string kInsertSaga = "runtime_insert_saga";
const std::string kUpdateSaga = "runtime_update_saga";
const std::string kSagaVersion = "runtime_saga_version";
const std::string kSetSagaTimer = "runtime_set_saga_timer";
const std::string kCancelSagaTimer = "runtime_cancel_saga_timer";
const std::string kDueSagaTimers = "runtime_due_saga_timers";

using Statements = std::vector<std::pair<std::string, std::string>>;

// Ordered like SQLite's (binary) ordering: COLLATE "C".
const std::string kSelectDeadLetters =
    "SELECT " + std::string(kDeadLetterColumns) + " FROM runtime_dead_letters ";
const std::string kOldestFirst =
    " ORDER BY first_failed_at_ms, id COLLATE \"C\"";

Statements RuntimeStatements() {
  return {
      {kBegin, "BEGIN"},
      {kCommit, "COMMIT"},
      {kRollback, "ROLLBACK"},
      {kLoadCheckpoint,
       "SELECT position FROM runtime_checkpoints WHERE subscription = $1"},
      // Checkpoints never move backwards.
      {kSaveCheckpoint,
       "INSERT INTO runtime_checkpoints (subscription, position) "
       "VALUES ($1, $2) ON CONFLICT (subscription) DO UPDATE SET "
       "position = EXCLUDED.position "
       "WHERE EXCLUDED.position > runtime_checkpoints.position"},
      {kInboxContains,
       "SELECT 1 FROM runtime_inbox WHERE subscription = $1 AND event_id = $2"},
      // No unique-key error, which would abort the whole transaction: a
      // row that is already there inserts nothing (0 rows affected).
      {kInboxAdd,
       "INSERT INTO runtime_inbox (subscription, event_id) VALUES ($1, $2) "
       "ON CONFLICT DO NOTHING"},
      {kPutDeadLetter,
       "INSERT INTO runtime_dead_letters (" + std::string(kDeadLetterColumns) +
           ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,"
           " $14) ON CONFLICT (id) DO UPDATE SET "
           "subscription = EXCLUDED.subscription, "
           "event_id = EXCLUDED.event_id, event_type = EXCLUDED.event_type, "
           "tenant_id = EXCLUDED.tenant_id, "
           "aggregate_id = EXCLUDED.aggregate_id, "
           "position = EXCLUDED.position, error = EXCLUDED.error, "
           "attempts = EXCLUDED.attempts, "
           "first_failed_at_ms = EXCLUDED.first_failed_at_ms, "
           "last_failed_at_ms = EXCLUDED.last_failed_at_ms, "
           "state = EXCLUDED.state, "
           "next_attempt_at_ms = EXCLUDED.next_attempt_at_ms, "
           "event_json = EXCLUDED.event_json"},
      {kRemoveDeadLetter, "DELETE FROM runtime_dead_letters WHERE id = $1"},
      {kGetDeadLetter, kSelectDeadLetters + "WHERE id = $1"},
      {kListDeadLetters, kSelectDeadLetters +
                             "WHERE subscription = $1 AND state <> 'retrying'" +
                             kOldestFirst},
      {kListAllDeadLetters,
       kSelectDeadLetters + "WHERE subscription = $1" + kOldestFirst},
      {kRequestRedrive,
       "UPDATE runtime_dead_letters SET state = 'redrive_requested' "
       "WHERE id = $1 AND state = 'parked'"},
      {kRequestRedriveAll,
       "UPDATE runtime_dead_letters SET state = 'redrive_requested' "
       "WHERE subscription = $1 AND state = 'parked'"},
      {kDiscard,
       "DELETE FROM runtime_dead_letters WHERE id = $1 AND state = 'parked'"},
      {kLoadSaga,
       "SELECT version, document, completed, updated_at_ms FROM runtime_sagas "
       "WHERE saga = $1 AND tenant = $2 AND key = $3"},
      // Insert-if-absent / update-if-at-version: 0 rows affected means the
      // stored version was not the expected one (and, unlike a unique-key
      // error, does not abort the transaction).
      {kInsertSaga,
       "INSERT INTO runtime_sagas (saga, tenant, key, version, document, "
       "completed, updated_at_ms) VALUES ($1, $2, $3, $4::bigint + 1, $5, $6, "
       "$7) ON CONFLICT DO NOTHING"},
      {kUpdateSaga,
       "UPDATE runtime_sagas SET version = $4::bigint + 1, document = $5, "
       "completed = $6, updated_at_ms = $7 WHERE saga = $1 AND tenant = $2 "
       "AND key = $3 AND version = $4"},
      {kSagaVersion,
       "SELECT version FROM runtime_sagas "
       "WHERE saga = $1 AND tenant = $2 AND key = $3"},
      {kSetSagaTimer,
       "INSERT INTO runtime_saga_timers (saga, tenant, key, name, due_at_ms) "
       "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (saga, tenant, key, name) "
       "DO UPDATE SET due_at_ms = EXCLUDED.due_at_ms"},
      {kCancelSagaTimer,
       "DELETE FROM runtime_saga_timers "
       "WHERE saga = $1 AND tenant = $2 AND key = $3 AND name = $4"},
      {kDueSagaTimers,
       "SELECT tenant, key, name, due_at_ms FROM runtime_saga_timers "
       "WHERE saga = $1 AND due_at_ms <= $2 ORDER BY due_at_ms LIMIT $3"},
  };
}

core::Status Prepare(PgConnection& conn, const Statements& statements) {
  for (const auto& [name, sql] : statements) {
    RETURN_IF_ERROR(conn.Prepare(name, sql));
  }
  return core::Status::Ok();
}

// The connections every store of one OpenPostgresConsumerStores call uses.
struct Pools {
  Pools(const std::string& url, const PostgresConsumerOptions& options)
      : transactions(url, options.max_connections,
                     [effects = options.statements](PgConnection& conn) {
                       RETURN_IF_ERROR(Prepare(conn, RuntimeStatements()));
                       return Prepare(conn, effects);
                     }),
        reads(url, options.max_read_connections, [](PgConnection& conn) {
          return Prepare(conn, RuntimeStatements());
        }) {}

  // One autocommit statement on a read connection.
  core::Result<PgResult> Execute(const std::string& statement,
                                 const PgParams& params) {
    ASSIGN_OR_RETURN(PgConnectionPool::Lease conn, reads.Acquire());
    return conn->Execute(statement, params);
  }

  PgConnectionPool transactions;
  PgConnectionPool reads;
};

class PostgresRuntimeTransaction final : public Transaction {
 public:
  explicit PostgresRuntimeTransaction(PgConnection& conn) : conn_(conn) {}
  PgConnection* postgres() override { return &conn_; }

 private:
  PgConnection& conn_;
};

PgConnection& TxConnection(Transaction& tx) {
  CHECK(tx.postgres() != nullptr)
      << "a PostgreSQL runtime store was used with another backend's "
         "transaction";
  return *tx.postgres();
}

std::string Str(int64_t n) { return std::to_string(n); }

class PostgresRunner final : public TransactionRunner {
 public:
  explicit PostgresRunner(std::shared_ptr<Pools> pools)
      : pools_(std::move(pools)) {}

  core::Status Run(const TransactionWork& work) override {
    ASSIGN_OR_RETURN(PgConnectionPool::Lease conn,
                     pools_->transactions.Acquire());
    RETURN_IF_ERROR(conn->Execute(kBegin, {}).status());
    // Rolls back unless committed, also when `work` throws: the connection
    // goes back to the pool outside any transaction.
    struct Rollback {
      PgConnection& conn;
      bool done = false;
      ~Rollback() {
        if (!done && !conn.broken()) {
          conn.Execute(kRollback, {}).status().IgnoreError();
        }
      }
    } rollback{*conn};
    PostgresRuntimeTransaction tx(*conn);
    RETURN_IF_ERROR(work(tx));
    if (conn->in_failed_transaction()) {
      return core::InternalError(
          "postgres: a statement of the transaction failed and its error was "
          "not returned; rolled back");
    }
    rollback.done = true;
    return conn->Execute(kCommit, {}).status();
  }

 private:
  const std::shared_ptr<Pools> pools_;
};

class PostgresCheckpoints final : public CheckpointStore {
 public:
  explicit PostgresCheckpoints(std::shared_ptr<Pools> pools)
      : pools_(std::move(pools)) {}

  core::Result<int64_t> Load(std::string_view subscription) override {
    ASSIGN_OR_RETURN(PgResult r, pools_->Execute(kLoadCheckpoint,
                                                 {std::string(subscription)}));
    return r.rows() > 0 ? r.GetInt(0, 0) : int64_t{0};
  }

  core::Status Save(Transaction& tx, std::string_view subscription,
                    int64_t position) override {
    return TxConnection(tx)
        .Execute(kSaveCheckpoint, {std::string(subscription), Str(position)})
        .status();
  }

 private:
  const std::shared_ptr<Pools> pools_;
};

class PostgresInbox final : public InboxStore {
 public:
  explicit PostgresInbox(std::shared_ptr<Pools> pools)
      : pools_(std::move(pools)) {}

  core::Result<bool> Contains(std::string_view subscription,
                              std::string_view event_id) override {
    ASSIGN_OR_RETURN(PgResult r,
                     pools_->Execute(kInboxContains, {std::string(subscription),
                                                      std::string(event_id)}));
    return r.rows() > 0;
  }

  core::Result<bool> Contains(Transaction& tx, std::string_view subscription,
                              std::string_view event_id) override {
    ASSIGN_OR_RETURN(PgResult r, TxConnection(tx).Execute(
                                     kInboxContains, {std::string(subscription),
                                                      std::string(event_id)}));
    return r.rows() > 0;
  }

  core::Status Add(Transaction& tx, std::string_view subscription,
                   std::string_view event_id) override {
    ASSIGN_OR_RETURN(PgResult r, TxConnection(tx).Execute(
                                     kInboxAdd, {std::string(subscription),
                                                 std::string(event_id)}));
    if (r.affected() == 0) {
      return core::AlreadyExistsError("event " + std::string(event_id) +
                                      " is already in the inbox of '" +
                                      std::string(subscription) + "'");
    }
    return core::Status::Ok();
  }

 private:
  const std::shared_ptr<Pools> pools_;
};

core::Result<std::vector<DeadLetter>> ReadDeadLetters(const PgResult& r) {
  std::vector<DeadLetter> out;
  out.reserve(static_cast<size_t>(r.rows()));
  for (int row = 0; row < r.rows(); ++row) {
    ASSIGN_OR_RETURN(
        DeadLetter d,
        DeadLetterFromRow([&](int c) { return r.Get(row, c); },
                          [&](int c) { return r.GetInt(row, c); }));
    out.push_back(std::move(d));
  }
  return out;
}

class PostgresDeadLetters final : public DeadLetterStore {
 public:
  explicit PostgresDeadLetters(std::shared_ptr<Pools> pools)
      : pools_(std::move(pools)) {}

  core::Status Put(Transaction& tx, const DeadLetter& d) override {
    return TxConnection(tx)
        .Execute(kPutDeadLetter,
                 {d.id, d.subscription, d.event_id, d.event_type, d.tenant_id,
                  d.aggregate_id, Str(d.position), d.error, Str(d.attempts),
                  Str(d.first_failed_at_ms), Str(d.last_failed_at_ms),
                  std::string(DeadLetterStateName(d.state)),
                  Str(d.next_attempt_at_ms), d.event_json})
        .status();
  }

  core::Status Remove(Transaction& tx, std::string_view id) override {
    return TxConnection(tx)
        .Execute(kRemoveDeadLetter, {std::string(id)})
        .status();
  }

  core::Result<DeadLetter> Get(std::string_view id) override {
    ASSIGN_OR_RETURN(PgResult r,
                     pools_->Execute(kGetDeadLetter, {std::string(id)}));
    ASSIGN_OR_RETURN(std::vector<DeadLetter> found, ReadDeadLetters(r));
    if (found.empty()) {
      return core::NotFoundError("no dead letter '" + std::string(id) + "'");
    }
    return std::move(found.front());
  }

  core::Result<std::vector<DeadLetter>> List(
      std::string_view subscription) override {
    ASSIGN_OR_RETURN(PgResult r, pools_->Execute(kListDeadLetters,
                                                 {std::string(subscription)}));
    return ReadDeadLetters(r);
  }

  core::Result<std::vector<DeadLetter>> ListAll(
      std::string_view subscription) override {
    ASSIGN_OR_RETURN(PgResult r, pools_->Execute(kListAllDeadLetters,
                                                 {std::string(subscription)}));
    return ReadDeadLetters(r);
  }

  core::Status RequestRedrive(std::string_view id) override {
    ASSIGN_OR_RETURN(DeadLetter d, Get(id));
    RETURN_IF_ERROR(CheckRedrivable(d));
    // Parked -> requested; a record already requested stays as it is.
    return pools_->Execute(kRequestRedrive, {std::string(id)}).status();
  }

  core::Result<int> RequestRedriveAll(std::string_view subscription) override {
    ASSIGN_OR_RETURN(PgResult r, pools_->Execute(kRequestRedriveAll,
                                                 {std::string(subscription)}));
    return static_cast<int>(r.affected());
  }

  core::Status Discard(std::string_view id) override {
    ASSIGN_OR_RETURN(DeadLetter d, Get(id));
    RETURN_IF_ERROR(CheckDiscardable(d));
    return pools_->Execute(kDiscard, {std::string(id)}).status();
  }

 private:
  const std::shared_ptr<Pools> pools_;
};

class PostgresSagas final : public SagaStore {
 public:
  explicit PostgresSagas(std::shared_ptr<Pools> pools)
      : pools_(std::move(pools)) {}

  core::Result<SagaRecord> Load(const SagaId& id) override {
    ASSIGN_OR_RETURN(PgResult r,
                     pools_->Execute(kLoadSaga, {id.saga, id.tenant, id.key}));
    if (r.rows() == 0) return SagaNotFound(id);
    return SagaRecord{.id = id,
                      .version = r.GetInt(0, 0),
                      .document = std::string(r.Get(0, 1)),
                      .completed = r.GetBool(0, 2),
                      .updated_at_ms = r.GetInt(0, 3)};
  }

  core::Status Save(Transaction& tx, const SagaRecord& s,
                    int64_t expected) override {
    PgConnection& conn = TxConnection(tx);
    ASSIGN_OR_RETURN(
        PgResult r,
        conn.Execute(expected == 0 ? kInsertSaga : kUpdateSaga,
                     {s.id.saga, s.id.tenant, s.id.key, Str(expected),
                      s.document, std::string(s.completed ? "true" : "false"),
                      Str(s.updated_at_ms)}));
    if (r.affected() == 1) return core::Status::Ok();
    ASSIGN_OR_RETURN(
        PgResult v,
        conn.Execute(kSagaVersion, {s.id.saga, s.id.tenant, s.id.key}));
    return SagaConflict(s.id, expected, v.rows() > 0 ? v.GetInt(0, 0) : 0);
  }

  core::Status SetTimer(Transaction& tx, const SagaTimer& t) override {
    return TxConnection(tx)
        .Execute(kSetSagaTimer,
                 {t.id.saga, t.id.tenant, t.id.key, t.name, Str(t.due_at_ms)})
        .status();
  }

  core::Status CancelTimer(Transaction& tx, const SagaId& id,
                           std::string_view name) override {
    return TxConnection(tx)
        .Execute(kCancelSagaTimer,
                 {id.saga, id.tenant, id.key, std::string(name)})
        .status();
  }

  core::Result<std::vector<SagaTimer>> DueTimers(std::string_view saga,
                                                 int64_t now_ms,
                                                 size_t limit) override {
    ASSIGN_OR_RETURN(
        PgResult r,
        pools_->Execute(kDueSagaTimers, {std::string(saga), Str(now_ms),
                                         Str(static_cast<int64_t>(limit))}));
    std::vector<SagaTimer> out;
    out.reserve(static_cast<size_t>(r.rows()));
    for (int row = 0; row < r.rows(); ++row) {
      out.push_back(SagaTimer{.id = {.saga = std::string(saga),
                                     .tenant = std::string(r.Get(row, 0)),
                                     .key = std::string(r.Get(row, 1))},
                              .name = std::string(r.Get(row, 2)),
                              .due_at_ms = r.GetInt(row, 3)});
    }
    return out;
  }

 private:
  const std::shared_ptr<Pools> pools_;
};

}  // namespace

core::Result<PostgresConsumerStores> OpenPostgresConsumerStores(
    const std::string& url, const PostgresConsumerOptions& options) {
  if (options.max_connections == 0 || options.max_read_connections == 0) {
    return core::InvalidArgumentError(
        "postgres consumer stores need at least one connection per pool");
  }
  {
    ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> setup,
                     PgConnection::Connect(url));
    RETURN_IF_ERROR(setup->Run("BEGIN").status());
    core::Status created = setup->Run(kSchema).status();
    if (!created.ok()) {
      if (!setup->broken()) setup->Run("ROLLBACK").status().IgnoreError();
      return created.WithContext("creating the runtime tables");
    }
    RETURN_IF_ERROR(setup->Run("COMMIT").status());
  }
  auto pools = std::make_shared<Pools>(url, options);
  PostgresConsumerStores stores;
  stores.transactions = std::make_unique<PostgresRunner>(pools);
  stores.checkpoints = std::make_unique<PostgresCheckpoints>(pools);
  stores.inbox = std::make_unique<PostgresInbox>(pools);
  stores.dead_letters = std::make_unique<PostgresDeadLetters>(pools);
  stores.sagas = std::make_unique<PostgresSagas>(pools);
  return stores;
}

}  // namespace stockpile::runtime
