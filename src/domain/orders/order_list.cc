#include "domain/orders/order_list.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <boost/json/serialize.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <system_error>
#include <utility>

#include "core/event_codec.h"
#include "core/status_macros.h"

namespace stockpile::domain::orders {
namespace {

core::Result<OrderState> StateFromRow(std::string_view text) {
  ASSIGN_OR_RETURN(boost::json::value v,
                   core::ParseJson(text, core::kStoredJsonLimits));
  if (!v.is_object()) {
    return core::InternalError("order list row is not a JSON object");
  }
  return OrderState::FromSnapshot(v.as_object());
}

// An exclusive lock on `directory`/lock; the descriptor holds it.
core::Result<int> LockDirectory(const std::string& directory) {
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  if (ec) {
    return core::UnavailableError("cannot create " + directory + ": " +
                                  ec.message());
  }
  const std::string path = directory + "/lock";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return core::UnavailableError("cannot open " + path + ": " +
                                  std::strerror(errno));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return core::FailedPreconditionError(
        "another process keeps its read models in " + directory +
        "; give each process a data directory of its own");
  }
  return fd;
}

}  // namespace

std::vector<std::string_view> OrderListProjection::Schema() const {
  return {
      "CREATE TABLE orders (tenant TEXT NOT NULL, id TEXT NOT NULL, seq "
      "INTEGER NOT NULL, status TEXT NOT NULL, state TEXT NOT NULL, PRIMARY "
      "KEY (tenant, id)) WITHOUT ROWID",
      "CREATE INDEX orders_newest ON orders (tenant, seq)",
      "CREATE INDEX orders_by_status ON orders (tenant, status, seq)",
  };
}

core::Status OrderListProjection::Apply(const core::Event& event,
                                        runtime::ReadModelTx& tx) {
  return FoldIntoRow({&event}, tx);
}

core::Status OrderListProjection::ApplyPage(
    const std::vector<core::EventPtr>& events, runtime::ReadModelTx& tx) {
  // Orders in the order they first appear, each with its events.
  std::map<std::pair<std::string_view, std::string_view>, size_t> index;
  std::vector<std::vector<const core::Event*>> orders;
  for (const core::EventPtr& e : events) {
    auto [it, inserted] =
        index.try_emplace(std::make_pair(std::string_view(e->tenant_id),
                                         std::string_view(e->aggregate_id)),
                          orders.size());
    if (inserted) orders.emplace_back();
    orders[it->second].push_back(e.get());
  }
  for (const std::vector<const core::Event*>& order : orders) {
    RETURN_IF_ERROR(FoldIntoRow(order, tx).WithContext(
        "at position " + std::to_string(order.front()->position)));
  }
  return core::Status::Ok();
}

core::Status OrderListProjection::FoldIntoRow(
    const std::vector<const core::Event*>& events, runtime::ReadModelTx& tx) {
  const core::Event& first = *events.front();
  ASSIGN_OR_RETURN(store::ScopedStatement select,
                   tx.Prepare("SELECT seq, state FROM orders WHERE tenant = ?1 "
                              "AND id = ?2"));
  select.Bind(1, first.tenant_id).Bind(2, first.aggregate_id);
  ASSIGN_OR_RETURN(bool found, select.Step());
  OrderState state;
  int64_t seq = first.position;
  if (found) {
    seq = select.Int(0);
    ASSIGN_OR_RETURN(state, StateFromRow(select.Text(1)));
  }
  select.Reset();
  for (const core::Event* e : events) state.Apply(*e);
  // Only order.created makes an order; events of an order never created
  // change nothing a list shows.
  if (!state.exists) return core::Status::Ok();
  ASSIGN_OR_RETURN(
      store::ScopedStatement upsert,
      tx.Prepare("INSERT INTO orders (tenant, id, seq, status, state) VALUES "
                 "(?1, ?2, ?3, ?4, ?5) ON CONFLICT (tenant, id) DO UPDATE SET "
                 "status = excluded.status, state = excluded.state"));
  // Bound text is not copied: it must outlive Run().
  const std::string snapshot = boost::json::serialize(state.ToSnapshot());
  upsert.Bind(1, first.tenant_id)
      .Bind(2, first.aggregate_id)
      .Bind(3, seq)
      .Bind(4, state.status)
      .Bind(5, snapshot);
  return upsert.Run();
}

core::Result<std::unique_ptr<OrderList>> OrderList::Open(
    const std::string& directory, store::EventStore& store,
    const core::Clock& clock) {
  ASSIGN_OR_RETURN(const int lock_fd, LockDirectory(directory));
  core::Result<std::unique_ptr<OrderList>> list =
      OpenLocked(lock_fd, directory, store, clock);
  if (!list.ok()) ::close(lock_fd);
  return list;
}

core::Result<std::unique_ptr<OrderList>> OrderList::OpenLocked(
    int lock_fd, const std::string& directory, store::EventStore& store,
    const core::Clock& clock) {
  auto open = [&]() {
    return runtime::ProjectionRunner::Open(
        std::make_unique<OrderListProjection>(), {.directory = directory},
        {.store = &store, .clock = &clock});
  };
  ASSIGN_OR_RETURN(std::unique_ptr<runtime::ProjectionRunner> runner, open());
  ASSIGN_OR_RETURN(const int64_t head, store.HeadPosition());
  if (runner->Status().position > head) {  // built from another log
    runner.reset();
    std::error_code ec;
    for (const auto& entry :
         std::filesystem::directory_iterator(directory, ec)) {
      if (entry.path().filename() != "lock") {
        std::filesystem::remove_all(entry.path(), ec);
      }
      if (ec) break;
    }
    if (ec) {
      return core::UnavailableError("cannot remove the stale read model in " +
                                    directory + ": " + ec.message());
    }
    ASSIGN_OR_RETURN(runner, open());
  }
  return std::unique_ptr<OrderList>(new OrderList(lock_fd, std::move(runner)));
}

OrderList::OrderList(int lock_fd,
                     std::unique_ptr<runtime::ProjectionRunner> runner)
    : lock_fd_(lock_fd), runner_(std::move(runner)) {}

OrderList::~OrderList() {
  Stop();
  ::close(lock_fd_);
}

core::Status OrderList::Start() { return runner_->Start(); }

void OrderList::Stop() { runner_->Stop(); }

int64_t OrderList::position() const { return runner_->Status().position; }

std::string OrderList::LastError() const {
  return runner_->Status().last_error;
}

core::Result<OrderPage> OrderList::Newest(
    std::string_view tenant, int64_t before, size_t limit,
    std::optional<std::string_view> status) const {
  OrderPage page;
  const int64_t below = before > 0 ? before : INT64_MAX;
  RETURN_IF_ERROR(runner_->Read([&](store::SqliteDb& db) -> core::Status {
    ASSIGN_OR_RETURN(
        store::ScopedStatement st,
        db.Prepare(status.has_value()
                       ? "SELECT seq, state FROM orders WHERE tenant = ?1 AND "
                         "status = ?4 AND seq < ?2 ORDER BY seq DESC LIMIT ?3"
                       : "SELECT seq, state FROM orders WHERE tenant = ?1 AND "
                         "seq < ?2 ORDER BY seq DESC LIMIT ?3"));
    // One row more than asked tells whether another page follows.
    st.Bind(1, tenant).Bind(2, below).Bind(3, static_cast<int64_t>(limit) + 1);
    if (status.has_value()) st.Bind(4, *status);
    int64_t last_seq = 0;
    for (;;) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      if (page.orders.size() == limit) {
        page.next = last_seq;
        break;
      }
      last_seq = st.Int(0);
      ASSIGN_OR_RETURN(OrderState o, StateFromRow(st.Text(1)));
      page.orders.push_back(std::move(o));
    }
    return core::Status::Ok();
  }));
  return page;
}

runtime::ReadModelRegistry::Entry OrderList::RegistryEntry() {
  runtime::ProjectionRunner* runner = runner_.get();
  return {
      .name = "orders",
      .position = [runner] { return runner->Status().position; },
      .rebuild = [runner](const runtime::ReadModelRegistry::Progress& progress)
          -> core::Status {
        RETURN_IF_ERROR(runner->BeginRebuild());
        for (;;) {
          ASSIGN_OR_RETURN(bool swapped, runner->RebuildOnce());
          if (swapped) return core::Status::Ok();
          const runtime::ProjectionStatus s = runner->Status();
          if (!progress(s.rebuild.done, s.rebuild.total)) {
            return core::CancelledError("rebuild stopped");
          }
        }
      }};
}

}  // namespace stockpile::domain::orders
