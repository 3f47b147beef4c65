// PostgresHarness: a fresh PostgreSQL schema for one test, on the server
// named by STOCKPILE_TEST_PG_URL (scripts/test starts one and sets it).
// Each harness creates a randomly named schema, points its stores at it
// through search_path, and drops it on destruction, so tests run in
// parallel on one database. Without the variable the test FAILS, naming
// the fix: a missing server must never look like a pass.
//
// Thread-safety: test code; one harness per test.
#ifndef STOCKPILE_STORE_POSTGRES_TEST_HARNESS_H_
#define STOCKPILE_STORE_POSTGRES_TEST_HARNESS_H_

#include <gtest/gtest.h>

#include <cstdlib>
#include <random>
#include <string>

#include "store/event_store_conformance.h"
#include "store/pg_connection.h"
#include "store/postgres_event_store.h"

namespace stockpile::store {

class PostgresHarness final : public EventStoreHarness {
 public:
  PostgresHarness() {
    const char* base = std::getenv("STOCKPILE_TEST_PG_URL");
    if (base == nullptr || *base == '\0') {
      ADD_FAILURE() << "STOCKPILE_TEST_PG_URL is not set. Run scripts/test, "
                       "or: scripts/services up postgres && eval "
                       "\"$(scripts/services env)\"";
      return;
    }
    base_ = base;
    std::random_device rd;
    schema_ = "test_" + std::to_string(rd()) + "_" + std::to_string(rd());
    url_ = base_ + (base_.find('?') == std::string::npos ? "?" : "&") +
           "options=-csearch_path%3D" + schema_;
    auto conn = PgConnection::Connect(base_);
    if (!conn.ok()) {
      ADD_FAILURE() << conn.status();
      return;
    }
    auto created = (*conn)->Run("CREATE SCHEMA " + schema_);
    if (!created.ok()) ADD_FAILURE() << created.status();
  }

  ~PostgresHarness() override {
    if (schema_.empty()) return;
    auto conn = PgConnection::Connect(base_);
    if (conn.ok()) {
      (*conn)
          ->Run("DROP SCHEMA " + schema_ + " CASCADE")
          .status()
          .IgnoreError();
    }
  }

  core::Result<std::unique_ptr<EventStore>> Open(
      EventStoreOptions options) override {
    if (url_.empty()) {
      return core::FailedPreconditionError("STOCKPILE_TEST_PG_URL is not set");
    }
    return MakePostgresEventStore(url_, std::move(options),
                                  PostgresOptions{.max_read_connections = 4});
  }
  bool persistent() const override { return true; }

  // The URL of this harness's schema.
  const std::string& url() const { return url_; }

 private:
  std::string base_;
  std::string schema_;
  std::string url_;
};

}  // namespace stockpile::store

#endif  // STOCKPILE_STORE_POSTGRES_TEST_HARNESS_H_
