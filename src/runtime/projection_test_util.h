// Test helpers for projections: a small order-summary projection, a dump of
// its read model, and a scratch directory.
#ifndef STOCKPILE_RUNTIME_PROJECTION_TEST_UTIL_H_
#define STOCKPILE_RUNTIME_PROJECTION_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

#include "core/status_macros.h"
#include "runtime/projection.h"
#include "runtime/projection_runner.h"

namespace stockpile::runtime::testing {

// orders: one row per aggregate (last type, event count, last position);
// type_counts: events per type. Fails on "order.poison" while `poisoned`.
class OrderSummaryProjection final : public Projection {
 public:
  explicit OrderSummaryProjection(const std::atomic<bool>* poisoned = nullptr)
      : poisoned_(poisoned) {}

  std::string_view name() const override { return "order_summary"; }
  std::vector<std::string> type_patterns() const override {
    return {"order.#"};
  }
  std::vector<std::string_view> Schema() const override {
    return {
        "CREATE TABLE orders (tenant TEXT NOT NULL, id TEXT NOT NULL,"
        " last_type TEXT NOT NULL, events INTEGER NOT NULL,"
        " last_position INTEGER NOT NULL, PRIMARY KEY (tenant, id))",
        "CREATE TABLE type_counts (event_type TEXT PRIMARY KEY,"
        " n INTEGER NOT NULL)",
    };
  }
  core::Status Apply(const core::Event& e, ReadModelTx& tx) override {
    if (poisoned_ != nullptr && poisoned_->load() &&
        e.event_type == "order.poison") {
      return core::InternalError("cannot apply order.poison");
    }
    ASSIGN_OR_RETURN(
        auto order,
        tx.Prepare("INSERT INTO orders (tenant, id, last_type, events,"
                   " last_position) VALUES (?1, ?2, ?3, 1, ?4)"
                   " ON CONFLICT (tenant, id) DO UPDATE SET"
                   " last_type = excluded.last_type, events = events + 1,"
                   " last_position = excluded.last_position"));
    order.Bind(1, e.tenant_id).Bind(2, e.aggregate_id).Bind(3, e.event_type);
    order.Bind(4, e.position);
    RETURN_IF_ERROR(order.Run());
    ASSIGN_OR_RETURN(
        auto count,
        tx.Prepare("INSERT INTO type_counts (event_type, n) VALUES (?1, 1)"
                   " ON CONFLICT (event_type) DO UPDATE SET n = n + 1"));
    count.Bind(1, e.event_type);
    return count.Run();
  }

 private:
  const std::atomic<bool>* poisoned_;
};

// Every row of both tables as text, in key order.
inline std::vector<std::string> DumpOrderSummary(ProjectionRunner& runner) {
  std::vector<std::string> rows;
  core::Status read = runner.Read([&](store::SqliteDb& db) -> core::Status {
    ASSIGN_OR_RETURN(auto orders,
                     db.Prepare("SELECT tenant, id, last_type, events,"
                                " last_position FROM orders ORDER BY 1, 2"));
    while (true) {
      ASSIGN_OR_RETURN(bool row, orders.Step());
      if (!row) break;
      rows.push_back(
          std::string(orders.Text(0)) + "|" + std::string(orders.Text(1)) +
          "|" + std::string(orders.Text(2)) + "|" +
          std::to_string(orders.Int(3)) + "|" + std::to_string(orders.Int(4)));
    }
    ASSIGN_OR_RETURN(auto counts, db.Prepare("SELECT event_type, n FROM"
                                             " type_counts ORDER BY 1"));
    while (true) {
      ASSIGN_OR_RETURN(bool row, counts.Step());
      if (!row) break;
      rows.push_back(std::string(counts.Text(0)) + "=" +
                     std::to_string(counts.Int(1)));
    }
    return core::Status::Ok();
  });
  EXPECT_TRUE(read.ok()) << read;
  return rows;
}

// A fresh directory under the temp dir, removed on destruction.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& tag)
      : path_(
            std::filesystem::temp_directory_path() /
            ("stockpile-" + tag + "-" +
             std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    std::filesystem::remove_all(path_);
  }
  ~ScratchDir() { std::filesystem::remove_all(path_); }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace stockpile::runtime::testing

#endif  // STOCKPILE_RUNTIME_PROJECTION_TEST_UTIL_H_
