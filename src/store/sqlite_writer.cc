#include "store/sqlite_writer.h"

#include <utility>

namespace stockpile::store {

namespace {
// Bounds one transaction so a flood of appends still commits regularly.
constexpr size_t kMaxBatch = 4096;
}  // namespace

SqliteWriter::SqliteWriter(std::unique_ptr<SqliteDb> db, Hooks hooks)
    : db_(std::move(db)),
      hooks_(std::move(hooks)),
      thread_([this] { Run(); }) {}

SqliteWriter::~SqliteWriter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  thread_.join();
}

core::Status SqliteWriter::Submit(Work work, bool savepoint) {
  Request request{std::move(work), savepoint, core::Status::Ok()};
  std::unique_lock<std::mutex> lock(mu_);
  if (stopping_) return core::CancelledError("the event store is closing");
  queue_.push_back(&request);
  if (queue_.size() == 1) work_cv_.notify_one();
  done_cv_.wait(lock, [&] { return request.done; });
  return request.result;
}

void SqliteWriter::Run() {
  std::deque<Request*> batch;
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      work_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to do
      while (!queue_.empty() && batch.size() < kMaxBatch) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    RunBatch(batch);
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (Request* r : batch) r->done = true;
    }
    done_cv_.notify_all();
    batch.clear();
  }
}

void SqliteWriter::RunBatch(std::deque<Request*>& batch) {
  auto fail_all = [&](const core::Status& s) {
    for (Request* r : batch) r->result = s;
  };
  if (core::Status s = db_->Run("BEGIN IMMEDIATE"); !s.ok()) {
    return fail_all(s);
  }
  auto abort = [&](const core::Status& s) {
    db_->Exec("ROLLBACK").IgnoreError();
    if (hooks_.after_rollback) hooks_.after_rollback(*db_);
    fail_all(s);
  };
  for (Request* r : batch) {
    if (r->savepoint) {
      if (core::Status s = db_->Run("SAVEPOINT work"); !s.ok()) {
        return abort(s);
      }
    }
    WriteContext ctx{*db_};
    r->result = r->work(ctx);
    if (ctx.abort_batch) return abort(r->result);
    if (r->savepoint) {
      if (!r->result.ok()) {
        core::Status s = db_->Run("ROLLBACK TO work");
        if (!s.ok()) return abort(s);
        if (hooks_.after_rollback) hooks_.after_rollback(*db_);
      }
      if (core::Status s = db_->Run("RELEASE work"); !s.ok()) {
        return abort(s);
      }
    }
  }
  if (hooks_.before_commit) {
    if (core::Status s = hooks_.before_commit(*db_); !s.ok()) return abort(s);
  }
  // synchronous=FULL in WAL mode: COMMIT returns after the WAL is fsync'd.
  if (core::Status s = db_->Run("COMMIT"); !s.ok()) return abort(s);
  if (hooks_.after_commit) hooks_.after_commit();
}

}  // namespace stockpile::store
