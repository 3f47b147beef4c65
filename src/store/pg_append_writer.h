// PgAppendWriter: the group-commit writer of PostgresEventStore. Callers of
// Append() queue their batch and block; one thread takes everything queued,
// runs it as ONE transaction on its own connection and answers each caller
// after COMMIT returned (or with the error that prevented it).
//
//   Append() -> queue -> writer thread:
//     pipeline 1: BEGIN; lock head row; read stream versions; find event ids
//     PgAppendPlan decides each request (write / replay / conflict)
//     pipeline 2: INSERT events (arrays); UPSERT streams; set head; NOTIFY;
//                 COMMIT
//     -> CommitSignal::Notify() -> callers answered
//
// Holding the head row lock from before the positions are chosen until
// COMMIT makes positions become visible strictly in order, even with other
// processes writing to the same database (docs/architecture.md, "PostgreSQL
// positions: no reader skips a late commit").
//
// Ownership: owns its thread and connection. `signal` must outlive it.
// Thread-safety: Append() may be called from any number of threads.
#ifndef STOCKPILE_STORE_PG_APPEND_WRITER_H_
#define STOCKPILE_STORE_PG_APPEND_WRITER_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/event_codec.h"
#include "core/result.h"
#include "store/commit_signal.h"
#include "store/pg_append_plan.h"
#include "store/pg_connection.h"
#include "store/store_types.h"

namespace stockpile::store {

class PgAppendWriter {
 public:
  // Events of one transaction at most; a larger single batch still goes
  // alone in its own transaction.
  static constexpr size_t kMaxGroupEvents = 8192;

  // Connects (Unavailable on failure) and starts the thread. `channel` is
  // the NOTIFY channel; `decode_limits` bound stored events read back for
  // idempotent replays.
  static core::Result<std::unique_ptr<PgAppendWriter>> Start(
      std::string conninfo, std::string channel, CommitSignal& signal,
      core::CodecLimits decode_limits);
  // Answers requests still queued with Cancelled and joins the thread.
  ~PgAppendWriter();

  // Blocks until the batch is committed, replayed, or refused. Upcasters
  // are not applied here (the store does).
  core::Result<AppendResult> Append(PgAppendRequest request);

 private:
  struct Pending {
    PgAppendRequest request;
    std::promise<core::Result<AppendResult>> done;
  };
  using Group = std::vector<std::unique_ptr<Pending>>;

  PgAppendWriter(std::string conninfo, std::string channel,
                 CommitSignal& signal, core::CodecLimits decode_limits,
                 std::unique_ptr<PgConnection> conn);
  void Run();
  // Runs one transaction for `group` and answers every request in it.
  void Commit(Group& group);
  // The transaction itself; fills `outcomes` (one per request). A non-ok
  // return fails every request whose outcome depends on the commit.
  core::Status Transact(Group& group,
                        std::vector<core::Result<AppendResult>>& outcomes,
                        std::vector<bool>& writes);
  core::Status EnsureConnected();
  core::Result<PgAppendPlan> ReadState(const Group& group);

  // Immutable after construction.
  const std::string conninfo_;
  const std::string channel_;
  CommitSignal& signal_;
  const core::CodecLimits decode_limits_;

  // Used only by the writer thread.
  std::unique_ptr<PgConnection> conn_;
  core::EventDecoder decoder_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<Pending>> queue_;  // GUARDED_BY(mu_)
  bool stop_ = false;                           // GUARDED_BY(mu_)

  std::thread thread_;  // last: started after everything above exists
};

}  // namespace stockpile::store

#endif  // STOCKPILE_STORE_PG_APPEND_WRITER_H_
