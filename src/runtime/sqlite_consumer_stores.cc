#include "runtime/sqlite_consumer_stores.h"

#include <mutex>
#include <string>
#include <vector>

#include "core/check.h"
#include "core/status_macros.h"
#include "runtime/dead_letter_row.h"
#include "store/sqlite_db.h"

namespace stockpile::runtime {
namespace {

constexpr const char* kSchema[] = {
    "CREATE TABLE IF NOT EXISTS runtime_checkpoints ("
    " subscription TEXT PRIMARY KEY, position INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS runtime_inbox ("
    " subscription TEXT NOT NULL, event_id TEXT NOT NULL,"
    " PRIMARY KEY (subscription, event_id)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS runtime_dead_letters ("
    " id TEXT PRIMARY KEY, subscription TEXT NOT NULL,"
    " event_id TEXT NOT NULL, event_type TEXT NOT NULL,"
    " tenant_id TEXT NOT NULL, aggregate_id TEXT NOT NULL,"
    " position INTEGER NOT NULL, error TEXT NOT NULL,"
    " attempts INTEGER NOT NULL, first_failed_at_ms INTEGER NOT NULL,"
    " last_failed_at_ms INTEGER NOT NULL, state TEXT NOT NULL,"
    " next_attempt_at_ms INTEGER NOT NULL, event_json TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS runtime_dead_letters_by_subscription"
    " ON runtime_dead_letters (subscription, first_failed_at_ms)",
    "CREATE TABLE IF NOT EXISTS runtime_sagas ("
    " saga TEXT NOT NULL, tenant TEXT NOT NULL, key TEXT NOT NULL,"
    " version INTEGER NOT NULL, document TEXT NOT NULL,"
    " completed INTEGER NOT NULL, updated_at_ms INTEGER NOT NULL,"
    " PRIMARY KEY (saga, tenant, key)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS runtime_saga_timers ("
    " saga TEXT NOT NULL, tenant TEXT NOT NULL, key TEXT NOT NULL,"
    " name TEXT NOT NULL, due_at_ms INTEGER NOT NULL,"
    " PRIMARY KEY (saga, tenant, key, name)) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS runtime_saga_timers_by_due"
    " ON runtime_saga_timers (saga, due_at_ms)",
};

class SqliteRuntimeTransaction final : public Transaction {
 public:
  explicit SqliteRuntimeTransaction(store::SqliteTransaction& tx) : tx_(tx) {}
  store::SqliteTransaction* sqlite() override { return &tx_; }

 private:
  store::SqliteTransaction& tx_;
};

store::SqliteDb& WriterDb(Transaction& tx) {
  CHECK(tx.sqlite() != nullptr)
      << "a SQLite runtime store was used with another backend's transaction";
  return tx.sqlite()->db();
}

class SqliteRunner final : public TransactionRunner {
 public:
  explicit SqliteRunner(store::SqliteEventStore& store) : store_(store) {}
  core::Status Run(const TransactionWork& work) override {
    return store_.Transact([&](store::SqliteTransaction& stx) {
      SqliteRuntimeTransaction tx(stx);
      return work(tx);
    });
  }

 private:
  store::SqliteEventStore& store_;
};

// A read-only connection shared by one store's read methods.
class Reader {
 public:
  explicit Reader(std::unique_ptr<store::SqliteDb> db) : db_(std::move(db)) {}
  template <typename F>
  auto With(F&& f) {
    std::lock_guard<std::mutex> lock(mu_);
    return f(*db_);
  }

 private:
  std::mutex mu_;
  std::unique_ptr<store::SqliteDb> db_;  // GUARDED_BY(mu_)
};

class SqliteCheckpoints final : public CheckpointStore {
 public:
  explicit SqliteCheckpoints(std::unique_ptr<store::SqliteDb> db)
      : reader_(std::move(db)) {}
  core::Result<int64_t> Load(std::string_view subscription) override {
    return reader_.With([&](store::SqliteDb& db) -> core::Result<int64_t> {
      ASSIGN_OR_RETURN(auto st, db.Prepare("SELECT position FROM "
                                           "runtime_checkpoints WHERE "
                                           "subscription = ?1"));
      st.Bind(1, subscription);
      ASSIGN_OR_RETURN(bool row, st.Step());
      return row ? st.Int(0) : int64_t{0};
    });
  }
  core::Status Save(Transaction& tx, std::string_view subscription,
                    int64_t position) override {
    ASSIGN_OR_RETURN(
        auto st,
        WriterDb(tx).Prepare(
            "INSERT INTO runtime_checkpoints (subscription, position)"
            " VALUES (?1, ?2) ON CONFLICT (subscription) DO UPDATE SET"
            " position = excluded.position"
            " WHERE excluded.position > runtime_checkpoints.position"));
    st.Bind(1, subscription).Bind(2, position);
    return st.Run();
  }

 private:
  Reader reader_;
};

class SqliteInbox final : public InboxStore {
 public:
  explicit SqliteInbox(std::unique_ptr<store::SqliteDb> db)
      : reader_(std::move(db)) {}
  core::Result<bool> Contains(std::string_view subscription,
                              std::string_view event_id) override {
    return reader_.With([&](store::SqliteDb& db) -> core::Result<bool> {
      ASSIGN_OR_RETURN(auto st, db.Prepare(kContains));
      st.Bind(1, subscription).Bind(2, event_id);
      return st.Step();
    });
  }
  core::Result<bool> Contains(Transaction& tx, std::string_view subscription,
                              std::string_view event_id) override {
    ASSIGN_OR_RETURN(auto st, WriterDb(tx).Prepare(kContains));
    st.Bind(1, subscription).Bind(2, event_id);
    return st.Step();
  }
  core::Status Add(Transaction& tx, std::string_view subscription,
                   std::string_view event_id) override {
    ASSIGN_OR_RETURN(
        auto st, WriterDb(tx).Prepare("INSERT INTO runtime_inbox (subscription,"
                                      " event_id) VALUES (?1, ?2)"));
    st.Bind(1, subscription).Bind(2, event_id);
    core::Status added = st.Run();
    if (added.code() == core::StatusCode::kConflict) {  // the primary key
      return core::AlreadyExistsError("event " + std::string(event_id) +
                                      " is already in the inbox of '" +
                                      std::string(subscription) + "'");
    }
    return added;
  }

 private:
  static constexpr const char* kContains =
      "SELECT 1 FROM runtime_inbox WHERE subscription = ?1 AND event_id = ?2";
  Reader reader_;
};

core::Result<DeadLetter> ReadDeadLetter(const store::ScopedStatement& st) {
  return DeadLetterFromRow([&](int c) { return st.Text(c); },
                           [&](int c) { return st.Int(c); });
}

class SqliteDeadLetters final : public DeadLetterStore {
 public:
  SqliteDeadLetters(store::SqliteEventStore& store,
                    std::unique_ptr<store::SqliteDb> db)
      : runner_(store), reader_(std::move(db)) {}

  core::Status Put(Transaction& tx, const DeadLetter& d) override {
    ASSIGN_OR_RETURN(auto st, WriterDb(tx).Prepare(
                                  "INSERT OR REPLACE INTO runtime_dead_letters"
                                  " (" +
                                  std::string(kDeadLetterColumns) +
                                  ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
                                  " ?9, ?10, ?11, ?12, ?13, ?14)"));
    st.Bind(1, d.id).Bind(2, d.subscription).Bind(3, d.event_id);
    st.Bind(4, d.event_type).Bind(5, d.tenant_id).Bind(6, d.aggregate_id);
    st.Bind(7, d.position).Bind(8, d.error).Bind(9, int64_t{d.attempts});
    st.Bind(10, d.first_failed_at_ms).Bind(11, d.last_failed_at_ms);
    st.Bind(12, DeadLetterStateName(d.state));
    st.Bind(13, d.next_attempt_at_ms).Bind(14, d.event_json);
    return st.Run();
  }

  core::Status Remove(Transaction& tx, std::string_view id) override {
    ASSIGN_OR_RETURN(
        auto st,
        WriterDb(tx).Prepare("DELETE FROM runtime_dead_letters WHERE id = ?1"));
    st.Bind(1, id);
    return st.Run();
  }

  core::Result<DeadLetter> Get(std::string_view id) override {
    return reader_.With([&](store::SqliteDb& db) -> core::Result<DeadLetter> {
      ASSIGN_OR_RETURN(auto st,
                       db.Prepare("SELECT " + std::string(kDeadLetterColumns) +
                                  " FROM runtime_dead_letters WHERE id = ?1"));
      st.Bind(1, id);
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) {
        return core::NotFoundError("no dead letter '" + std::string(id) + "'");
      }
      return ReadDeadLetter(st);
    });
  }

  core::Result<std::vector<DeadLetter>> List(
      std::string_view subscription) override {
    return Select(subscription, " AND state <> 'retrying'");
  }
  core::Result<std::vector<DeadLetter>> ListAll(
      std::string_view subscription) override {
    return Select(subscription, "");
  }

  core::Status RequestRedrive(std::string_view id) override {
    ASSIGN_OR_RETURN(DeadLetter d, Get(id));
    RETURN_IF_ERROR(CheckRedrivable(d));
    return SetState(id, "parked", "redrive_requested").status();
  }

  core::Result<int> RequestRedriveAll(std::string_view subscription) override {
    int changed = 0;
    RETURN_IF_ERROR(runner_.Run([&](Transaction& tx) -> core::Status {
      ASSIGN_OR_RETURN(auto st,
                       WriterDb(tx).Prepare(
                           "UPDATE runtime_dead_letters SET state ="
                           " 'redrive_requested' WHERE subscription = ?1 AND"
                           " state = 'parked' RETURNING id"));
      st.Bind(1, subscription);
      while (true) {
        ASSIGN_OR_RETURN(bool row, st.Step());
        if (!row) break;
        ++changed;
      }
      return core::Status::Ok();
    }));
    return changed;
  }

  core::Status Discard(std::string_view id) override {
    ASSIGN_OR_RETURN(DeadLetter d, Get(id));
    RETURN_IF_ERROR(CheckDiscardable(d));
    return runner_.Run([&](Transaction& tx) -> core::Status {
      ASSIGN_OR_RETURN(
          auto st, WriterDb(tx).Prepare("DELETE FROM runtime_dead_letters"
                                        " WHERE id = ?1 AND state = 'parked'"));
      st.Bind(1, id);
      return st.Run();
    });
  }

 private:
  core::Result<int> SetState(std::string_view id, std::string_view from,
                             std::string_view to) {
    int changed = 0;
    RETURN_IF_ERROR(runner_.Run([&](Transaction& tx) -> core::Status {
      ASSIGN_OR_RETURN(auto st, WriterDb(tx).Prepare(
                                    "UPDATE runtime_dead_letters SET state = ?3"
                                    " WHERE id = ?1 AND state = ?2"
                                    " RETURNING id"));
      st.Bind(1, id).Bind(2, from).Bind(3, to);
      ASSIGN_OR_RETURN(bool row, st.Step());
      changed = row ? 1 : 0;
      return core::Status::Ok();
    }));
    return changed;
  }

  core::Result<std::vector<DeadLetter>> Select(std::string_view subscription,
                                               std::string_view condition) {
    return reader_.With(
        [&](store::SqliteDb& db) -> core::Result<std::vector<DeadLetter>> {
          ASSIGN_OR_RETURN(
              auto st, db.Prepare("SELECT " + std::string(kDeadLetterColumns) +
                                  " FROM runtime_dead_letters WHERE"
                                  " subscription = ?1" +
                                  std::string(condition) +
                                  " ORDER BY first_failed_at_ms, id"));
          st.Bind(1, subscription);
          std::vector<DeadLetter> out;
          while (true) {
            ASSIGN_OR_RETURN(bool row, st.Step());
            if (!row) break;
            ASSIGN_OR_RETURN(DeadLetter d, ReadDeadLetter(st));
            out.push_back(std::move(d));
          }
          return out;
        });
  }

  SqliteRunner runner_;
  Reader reader_;
};

class SqliteSagas final : public SagaStore {
 public:
  explicit SqliteSagas(std::unique_ptr<store::SqliteDb> db)
      : reader_(std::move(db)) {}

  core::Result<SagaRecord> Load(const SagaId& id) override {
    return reader_.With([&](store::SqliteDb& db) -> core::Result<SagaRecord> {
      ASSIGN_OR_RETURN(auto st, db.Prepare("SELECT version, document,"
                                           " completed, updated_at_ms FROM"
                                           " runtime_sagas WHERE saga = ?1"
                                           " AND tenant = ?2 AND key = ?3"));
      st.Bind(1, id.saga).Bind(2, id.tenant).Bind(3, id.key);
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return SagaNotFound(id);
      return SagaRecord{.id = id,
                        .version = st.Int(0),
                        .document = std::string(st.Text(1)),
                        .completed = st.Int(2) != 0,
                        .updated_at_ms = st.Int(3)};
    });
  }

  core::Status Save(Transaction& tx, const SagaRecord& r,
                    int64_t expected) override {
    // Insert-if-absent or update-if-at-version; no row back = the stored
    // version was not `expected`.
    ASSIGN_OR_RETURN(
        auto st,
        WriterDb(tx).Prepare(
            expected == 0
                ? "INSERT INTO runtime_sagas (saga, tenant, key, version,"
                  " document, completed, updated_at_ms) VALUES (?1, ?2, ?3,"
                  " ?4 + 1, ?5, ?6, ?7) ON CONFLICT DO NOTHING RETURNING 1"
                : "UPDATE runtime_sagas SET version = ?4 + 1, document = ?5,"
                  " completed = ?6, updated_at_ms = ?7 WHERE saga = ?1 AND"
                  " tenant = ?2 AND key = ?3 AND version = ?4 RETURNING 1"));
    st.Bind(1, r.id.saga).Bind(2, r.id.tenant).Bind(3, r.id.key);
    st.Bind(4, expected).Bind(5, r.document);
    st.Bind(6, int64_t{r.completed ? 1 : 0}).Bind(7, r.updated_at_ms);
    ASSIGN_OR_RETURN(bool saved, st.Step());
    if (saved) return core::Status::Ok();
    ASSIGN_OR_RETURN(
        auto version,
        WriterDb(tx).Prepare("SELECT version FROM runtime_sagas WHERE saga = ?1"
                             " AND tenant = ?2 AND key = ?3"));
    version.Bind(1, r.id.saga).Bind(2, r.id.tenant).Bind(3, r.id.key);
    ASSIGN_OR_RETURN(bool found, version.Step());
    return SagaConflict(r.id, expected, found ? version.Int(0) : 0);
  }

  core::Status SetTimer(Transaction& tx, const SagaTimer& t) override {
    ASSIGN_OR_RETURN(
        auto st, WriterDb(tx).Prepare(
                     "INSERT OR REPLACE INTO runtime_saga_timers (saga,"
                     " tenant, key, name, due_at_ms) VALUES (?1, ?2, ?3, ?4,"
                     " ?5)"));
    st.Bind(1, t.id.saga).Bind(2, t.id.tenant).Bind(3, t.id.key);
    st.Bind(4, t.name).Bind(5, t.due_at_ms);
    return st.Run();
  }

  core::Status CancelTimer(Transaction& tx, const SagaId& id,
                           std::string_view name) override {
    ASSIGN_OR_RETURN(
        auto st, WriterDb(tx).Prepare("DELETE FROM runtime_saga_timers WHERE"
                                      " saga = ?1 AND tenant = ?2 AND key = ?3"
                                      " AND name = ?4"));
    st.Bind(1, id.saga).Bind(2, id.tenant).Bind(3, id.key).Bind(4, name);
    return st.Run();
  }

  core::Result<std::vector<SagaTimer>> DueTimers(std::string_view saga,
                                                 int64_t now_ms,
                                                 size_t limit) override {
    return reader_.With(
        [&](store::SqliteDb& db) -> core::Result<std::vector<SagaTimer>> {
          ASSIGN_OR_RETURN(auto st,
                           db.Prepare("SELECT tenant, key, name, due_at_ms FROM"
                                      " runtime_saga_timers WHERE saga = ?1 AND"
                                      " due_at_ms <= ?2 ORDER BY due_at_ms"
                                      " LIMIT ?3"));
          st.Bind(1, saga).Bind(2, now_ms).Bind(3, static_cast<int64_t>(limit));
          std::vector<SagaTimer> out;
          while (true) {
            ASSIGN_OR_RETURN(bool row, st.Step());
            if (!row) break;
            out.push_back(SagaTimer{.id = {.saga = std::string(saga),
                                           .tenant = std::string(st.Text(0)),
                                           .key = std::string(st.Text(1))},
                                    .name = std::string(st.Text(2)),
                                    .due_at_ms = st.Int(3)});
          }
          return out;
        });
  }

 private:
  Reader reader_;
};

}  // namespace

core::Result<SqliteConsumerStores> OpenSqliteConsumerStores(
    store::SqliteEventStore& store) {
  SqliteConsumerStores stores;
  stores.transactions = std::make_unique<SqliteRunner>(store);
  core::Status created = stores.transactions->Run([](Transaction& tx) {
    for (const char* sql : kSchema) {
      RETURN_IF_ERROR(WriterDb(tx).Exec(sql));
    }
    return core::Status::Ok();
  });
  RETURN_IF_ERROR(created);
  auto open_reader = [&] {
    return store::SqliteDb::Open(store.path(), store::SqliteDb::kReadOnly);
  };
  ASSIGN_OR_RETURN(auto checkpoints_db, open_reader());
  ASSIGN_OR_RETURN(auto inbox_db, open_reader());
  ASSIGN_OR_RETURN(auto dead_letters_db, open_reader());
  ASSIGN_OR_RETURN(auto sagas_db, open_reader());
  stores.checkpoints =
      std::make_unique<SqliteCheckpoints>(std::move(checkpoints_db));
  stores.inbox = std::make_unique<SqliteInbox>(std::move(inbox_db));
  stores.dead_letters =
      std::make_unique<SqliteDeadLetters>(store, std::move(dead_letters_db));
  stores.sagas = std::make_unique<SqliteSagas>(std::move(sagas_db));
  return stores;
}

}  // namespace stockpile::runtime
