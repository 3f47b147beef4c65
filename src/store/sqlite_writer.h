// SqliteWriter: the single writer thread of a SQLite event store, doing
// group commit. Concurrent Submit() calls are gathered into one
// transaction, committed with one WAL fsync, and each caller is answered
// after the commit is durable.
//
//   Append callers --Submit(work)--> queue --writer thread--> BEGIN;
//   work1; work2; ...; before_commit; COMMIT (fsync) --> after_commit;
//   callers wake with their work's status.
//
// A work item that fails without setting abort_batch is assumed to have
// written nothing (it only checked); one run with `savepoint` is rolled back
// to its savepoint on failure. Setting abort_batch (a storage error midway)
// rolls back the whole transaction and fails every item of the batch.
//
// Ownership: owns the write connection and the thread. Thread-safety:
// Submit() is safe from any thread; work items and hooks run on the writer
// thread only, one at a time, and may use writer-thread-only state.
#ifndef STOCKPILE_STORE_SQLITE_WRITER_H_
#define STOCKPILE_STORE_SQLITE_WRITER_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "core/status.h"
#include "store/sqlite_db.h"

namespace stockpile::store {

struct WriteContext {
  SqliteDb& db;
  bool abort_batch = false;
};

class SqliteWriter {
 public:
  using Work = std::function<core::Status(WriteContext& ctx)>;

  struct Hooks {
    // Inside the transaction, after the last work item (e.g. persist the
    // log head). A failure aborts the batch.
    std::function<core::Status(SqliteDb&)> before_commit;
    // After a durable commit, before callers are answered.
    std::function<void()> after_commit;
    // After any rollback (batch abort or savepoint): writer-thread caches
    // must be reloaded from the database.
    std::function<void(SqliteDb&)> after_rollback;
  };

  SqliteWriter(std::unique_ptr<SqliteDb> db, Hooks hooks);
  // Finishes queued work, then stops the thread.
  ~SqliteWriter();
  SqliteWriter(const SqliteWriter&) = delete;
  SqliteWriter& operator=(const SqliteWriter&) = delete;

  // Runs `work` in the next batch; returns once that batch committed (or
  // failed). Cancelled after shutdown began.
  core::Status Submit(Work work, bool savepoint = false);

 private:
  struct Request {
    Work work;
    bool savepoint;
    core::Status result;
    bool done = false;
  };
  void Run();
  void RunBatch(std::deque<Request*>& batch);

  // Immutable after construction.
  const std::unique_ptr<SqliteDb> db_;  // used by the writer thread only
  const Hooks hooks_;

  std::mutex mu_;
  std::condition_variable work_cv_;  // queue became non-empty, or stop
  std::condition_variable done_cv_;  // a batch finished
  std::deque<Request*> queue_;       // GUARDED_BY(mu_); requests not owned
  bool stopping_ = false;            // GUARDED_BY(mu_)

  std::thread thread_;  // last: starts after the members above exist
};

}  // namespace stockpile::store

#endif  // STOCKPILE_STORE_SQLITE_WRITER_H_
