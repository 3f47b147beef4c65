#include "store/pg_connection_pool.h"

#include <utility>

namespace stockpile::store {

PgConnectionPool::PgConnectionPool(std::string conninfo, size_t max_size,
                                   Setup setup)
    : conninfo_(std::move(conninfo)),
      max_size_(max_size),
      setup_(std::move(setup)) {}

core::Result<PgConnectionPool::Lease> PgConnectionPool::Acquire() {
  for (;;) {
    std::unique_ptr<PgConnection> conn;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return !idle_.empty() || open_ < max_size_; });
      if (idle_.empty()) {
        ++open_;  // reserve a slot, connect without the lock
        break;
      }
      conn = std::move(idle_.back());
      idle_.pop_back();
    }
    // A connection the server closed while it was idle (e.g. the server
    // restarted) is replaced rather than handed out to fail.
    if (!conn->ClosedByServer()) return Lease(this, std::move(conn));
    conn.reset();
    {
      std::lock_guard<std::mutex> lock(mu_);
      --open_;
    }
  }
  auto conn = PgConnection::Connect(conninfo_);
  core::Status prepared = conn.ok() ? setup_(**conn) : conn.status();
  if (!prepared.ok()) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      --open_;
    }
    cv_.notify_one();
    return prepared;
  }
  return Lease(this, std::move(conn).value());
}

void PgConnectionPool::Release(std::unique_ptr<PgConnection> conn) {
  const bool broken = conn->broken();
  if (broken) conn.reset();  // closes outside the lock
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (broken) {
      --open_;
    } else {
      idle_.push_back(std::move(conn));
    }
  }
  cv_.notify_one();
}

}  // namespace stockpile::store
