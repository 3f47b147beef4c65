// PgNotifyListener: turns PostgreSQL NOTIFYs on the store's channel into
// CommitSignal::Notify(), so catch-up subscriptions of this process wake up
// when another process (or another store object) commits events.
//
// It owns one connection that LISTENs. When the connection breaks it
// reconnects with backoff; meanwhile subscriptions keep working because
// they also poll (CatchUpSubscription re-reads at least every 100 ms), so a
// lost notification only delays delivery, never skips an event.
//
// Ownership: owns its thread and connection; `signal` must outlive it.
// Thread-safety: construct and destroy from one thread; nothing else.
#ifndef STOCKPILE_STORE_PG_NOTIFY_LISTENER_H_
#define STOCKPILE_STORE_PG_NOTIFY_LISTENER_H_

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "core/result.h"
#include "store/commit_signal.h"

namespace stockpile::store {

class PgNotifyListener {
 public:
  // Connects and LISTENs before returning (Unavailable on failure), so a
  // commit made after Start() returns is always noticed.
  static core::Result<std::unique_ptr<PgNotifyListener>> Start(
      std::string conninfo, std::string channel, CommitSignal& signal);
  ~PgNotifyListener();

  PgNotifyListener(const PgNotifyListener&) = delete;
  PgNotifyListener& operator=(const PgNotifyListener&) = delete;

 private:
  struct State;
  explicit PgNotifyListener(std::unique_ptr<State> state);
  static void Run(State& state);

  std::unique_ptr<State> state_;
  std::thread thread_;  // last: started after state_ exists
};

}  // namespace stockpile::store

#endif  // STOCKPILE_STORE_PG_NOTIFY_LISTENER_H_
