// Projection: a read model built from the log (CQRS, DESIGN.md §5: "every
// read model can be dropped and rebuilt by replaying the log"). A projection
// names itself, the event types it reads, the tables of its read model and
// how one event changes them.
//
//   class OrderSummary final : public Projection {
//    public:
//     std::string_view name() const override { return "order_summary"; }
//     std::vector<std::string> type_patterns() const override {
//       return {"order.*"};
//     }
//     std::vector<std::string_view> Schema() const override {
//       return {"CREATE TABLE orders (id TEXT PRIMARY KEY, status TEXT)"};
//     }
//     core::Status Apply(const core::Event& e, ReadModelTx& tx) override {
//       ASSIGN_OR_RETURN(auto st, tx.Prepare(
//           "INSERT INTO orders (id, status) VALUES (?1, ?2) ON CONFLICT (id)"
//           " DO UPDATE SET status = excluded.status"));
//       st.Bind(1, e.aggregate_id).Bind(2, e.event_type);
//       return st.Run();
//     }
//   };
//
// Table names: a projection's read model lives in a database file of its
// own (one per generation, see ProjectionRunner), so its SQL names its
// tables plainly and the same constant SQL text targets the live copy or
// the shadow copy being rebuilt: the runner picks the connection, never a
// name inside the SQL. Values always go in as bound parameters.
//
// Thread-safety: Apply is called by one thread at a time per read-model
// copy, but the live copy and a shadow being rebuilt may call it
// concurrently; keep no mutable state in the Projection object.
#ifndef STOCKPILE_RUNTIME_PROJECTION_H_
#define STOCKPILE_RUNTIME_PROJECTION_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/result.h"
#include "core/status_macros.h"
#include "store/sqlite_db.h"

namespace stockpile::runtime {

// The open write transaction of one read-model copy, handed to Apply.
// Statements are prepared once per connection and cached.
// Valid only during the Apply call.
class ReadModelTx {
 public:
  explicit ReadModelTx(store::SqliteDb& db) : db_(db) {}
  // A prepared statement for `sql` (constant text; bind every value).
  core::Result<store::ScopedStatement> Prepare(std::string_view sql) {
    return db_.Prepare(sql);
  }

 private:
  store::SqliteDb& db_;
};

class Projection {
 public:
  virtual ~Projection() = default;

  // [a-z0-9_]+, unique per directory; names its files and status.
  virtual std::string_view name() const = 0;
  // AMQP topic patterns over eventType; empty = every type.
  virtual std::vector<std::string> type_patterns() const = 0;
  // The CREATE TABLE / CREATE INDEX statements of the read model, run once
  // on an empty copy. The table "projection_checkpoint" is the runner's.
  virtual std::vector<std::string_view> Schema() const = 0;
  // Applies one event. Must be deterministic: a rebuild replays the same
  // events and must produce the same rows. A non-ok status rolls back the
  // page it belongs to; the runner retries it.
  virtual core::Status Apply(const core::Event& event, ReadModelTx& tx) = 0;
  // Applies a page of events (log order) inside the page's transaction.
  // The default calls Apply for each. A projection may override it to fold
  // several events of one row together and write the row once, as long as
  // the rows come out as Apply would leave them.
  virtual core::Status ApplyPage(const std::vector<core::EventPtr>& events,
                                 ReadModelTx& tx) {
    for (const core::EventPtr& event : events) {
      RETURN_IF_ERROR(
          Apply(*event, tx)
              .WithContext("at position " + std::to_string(event->position)));
    }
    return core::Status::Ok();
  }
};

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_PROJECTION_H_
