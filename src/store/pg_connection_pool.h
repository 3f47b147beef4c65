// PgConnectionPool: connections, each set up once by the owner's `setup`
// (typically: prepare its statements), for PostgresEventStore's reads and
// non-append writes and for the consumer runtime's PostgreSQL stores.
// Connections are opened lazily up to `max_size`; a caller beyond that
// waits for one to be returned. A connection found broken is dropped, not
// returned, and an idle one the server closed meanwhile (a restart of the
// server, pg_terminate_backend) is replaced by a new one on Acquire(), so
// after an outage only connecting can fail, not a stale connection.
//
//   PgConnectionPool pool(url, 8, pg::PrepareStatements);
//   ASSIGN_OR_RETURN(PgConnectionPool::Lease conn, pool.Acquire());
//   ASSIGN_OR_RETURN(PgResult r, conn->Execute(pg::kReadHead, {}));
//
// Ownership: a Lease must not outlive the pool.
// Thread-safety: Acquire() is safe from any thread; a Lease is used by one
// thread. Connecting happens outside the pool's lock.
#ifndef STOCKPILE_STORE_PG_CONNECTION_POOL_H_
#define STOCKPILE_STORE_PG_CONNECTION_POOL_H_

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/pg_connection.h"

namespace stockpile::store {

class PgConnectionPool {
 public:
  // Runs on every new connection before it is handed out; a failure fails
  // that Acquire() and the connection is closed.
  using Setup = std::function<core::Status(PgConnection&)>;

  PgConnectionPool(std::string conninfo, size_t max_size, Setup setup);

  // A borrowed connection, given back on destruction.
  class Lease {
   public:
    Lease(PgConnectionPool* pool, std::unique_ptr<PgConnection> conn)
        : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (conn_) pool_->Release(std::move(conn_));
    }
    PgConnection* operator->() const { return conn_.get(); }
    PgConnection& operator*() const { return *conn_; }

   private:
    PgConnectionPool* pool_;
    std::unique_ptr<PgConnection> conn_;
  };

  // Unavailable when a new connection cannot be opened.
  core::Result<Lease> Acquire();

 private:
  void Release(std::unique_ptr<PgConnection> conn);

  // Immutable after construction.
  const std::string conninfo_;
  const size_t max_size_;
  const Setup setup_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<PgConnection>> idle_;  // GUARDED_BY(mu_)
  size_t open_ = 0;  // GUARDED_BY(mu_): idle + leased + being opened
};

}  // namespace stockpile::store

#endif  // STOCKPILE_STORE_PG_CONNECTION_POOL_H_
