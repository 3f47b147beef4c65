// OrderList: the orders read model behind GET /api/v1/orders — every order
// of a tenant, newest first, optionally of one status — kept on disk as a
// SQLite projection (runtime/projection_runner.h), so a process's memory
// does not grow with the orders it has ever taken and a restart resumes
// from the projection's checkpoint instead of replaying the log.
//
//   log (order.*) -> OrderListProjection::Apply -> row (tenant, id, seq,
//                    status, the order's snapshot JSON)
//   Newest(tenant, before, limit, status) -> rows by (tenant[, status], seq)
//
// `seq` is the log position of the order's first event: it orders the list
// and is the page cursor (`before`, `next`). The read model is eventually
// consistent (it follows the log within milliseconds); a single order is
// read from its stream (OrderService::GetOrder).
//
// A read model that is ahead of the log it is opened with (the event store
// was replaced, e.g. `--store memory` or a deleted events.db) belongs to
// another log: Open drops it and builds it again from position 0.
//
// One process at a time: Open takes an exclusive lock on
// "<directory>/lock" and fails (FailedPrecondition) while another process
// holds it, since two writers would fold the same events twice.
//
// Ownership: borrows the store and clock, which must outlive it; owns the
// lock. Thread-safety: all methods are safe from any thread.
#ifndef STOCKPILE_DOMAIN_ORDERS_ORDER_LIST_H_
#define STOCKPILE_DOMAIN_ORDERS_ORDER_LIST_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "domain/orders/order_state.h"
#include "runtime/projection.h"
#include "runtime/projection_runner.h"
#include "runtime/read_model_registry.h"
#include "store/event_store.h"

namespace stockpile::domain::orders {

// The projection itself: one row per order, its state as a snapshot.
class OrderListProjection final : public runtime::Projection {
 public:
  std::string_view name() const override { return "orders"; }
  std::vector<std::string> type_patterns() const override {
    return {"order.*"};
  }
  std::vector<std::string_view> Schema() const override;
  core::Status Apply(const core::Event& event,
                     runtime::ReadModelTx& tx) override;
  // Each order of the page is read, folded with all its events of the
  // page and written once (an order's events come in runs: created,
  // confirmed, updated, ...).
  core::Status ApplyPage(const std::vector<core::EventPtr>& events,
                         runtime::ReadModelTx& tx) override;

 private:
  // Folds `events` (one order's, in log order) into its row.
  static core::Status FoldIntoRow(const std::vector<const core::Event*>& events,
                                  runtime::ReadModelTx& tx);
};

struct OrderPage {
  std::vector<OrderState> orders;
  int64_t next = 0;  // the `before` of the following page; 0: none
};

class OrderList {
 public:
  // Opens (creating) the read model in `directory`.
  static core::Result<std::unique_ptr<OrderList>> Open(
      const std::string& directory, store::EventStore& store,
      const core::Clock& clock);
  ~OrderList();
  OrderList(const OrderList&) = delete;
  OrderList& operator=(const OrderList&) = delete;

  // Follows the log in the background. Stop() ends it (also on
  // destruction).
  core::Status Start();
  void Stop();

  // Up to `limit` orders of `tenant` that appeared before `before`
  // (exclusive; 0 = the newest first), newest first, of `status` when
  // given.
  core::Result<OrderPage> Newest(std::string_view tenant, int64_t before,
                                 size_t limit,
                                 std::optional<std::string_view> status) const;

  // The entry for GET /api/v1/projections and its rebuild.
  runtime::ReadModelRegistry::Entry RegistryEntry();

  // The log position up to which every order event is in the read model.
  int64_t position() const;
  // The last failure to apply the log ("" when none).
  std::string LastError() const;

 private:
  static core::Result<std::unique_ptr<OrderList>> OpenLocked(
      int lock_fd, const std::string& directory, store::EventStore& store,
      const core::Clock& clock);
  OrderList(int lock_fd, std::unique_ptr<runtime::ProjectionRunner> runner);

  const int lock_fd_;  // holds the directory's lock
  const std::unique_ptr<runtime::ProjectionRunner> runner_;
};

}  // namespace stockpile::domain::orders

#endif  // STOCKPILE_DOMAIN_ORDERS_ORDER_LIST_H_
