#include "store/pg_append_writer.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <utility>

#include "core/status_macros.h"
#include "store/pg_schema.h"

namespace stockpile::store {

core::Result<std::unique_ptr<PgAppendWriter>> PgAppendWriter::Start(
    std::string conninfo, std::string channel, CommitSignal& signal,
    core::CodecLimits decode_limits) {
  ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> conn,
                   PgConnection::Connect(conninfo));
  RETURN_IF_ERROR(pg::PrepareStatements(*conn));
  return std::unique_ptr<PgAppendWriter>(
      new PgAppendWriter(std::move(conninfo), std::move(channel), signal,
                         decode_limits, std::move(conn)));
}

PgAppendWriter::PgAppendWriter(std::string conninfo, std::string channel,
                               CommitSignal& signal,
                               core::CodecLimits decode_limits,
                               std::unique_ptr<PgConnection> conn)
    : conninfo_(std::move(conninfo)),
      channel_(std::move(channel)),
      signal_(signal),
      decode_limits_(decode_limits),
      conn_(std::move(conn)),
      decoder_(decode_limits),
      thread_([this] { Run(); }) {}

PgAppendWriter::~PgAppendWriter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
  for (auto& p : queue_) {
    p->done.set_value(core::CancelledError("event store is shutting down"));
  }
}

core::Result<AppendResult> PgAppendWriter::Append(PgAppendRequest request) {
  auto pending = std::make_unique<Pending>();
  pending->request = std::move(request);
  std::future<core::Result<AppendResult>> answer = pending->done.get_future();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stop_) return core::CancelledError("event store is shutting down");
    queue_.push_back(std::move(pending));
  }
  cv_.notify_one();
  return answer.get();
}

void PgAppendWriter::Run() {
  for (;;) {
    Group group;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (stop_) return;  // the destructor answers what is left
      size_t events = 0;
      while (!queue_.empty()) {
        const size_t n = queue_.front()->request.events.size();
        if (!group.empty() && events + n > kMaxGroupEvents) break;
        events += n;
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    Commit(group);
  }
}

void PgAppendWriter::Commit(Group& group) {
  std::vector<core::Result<AppendResult>> outcomes;
  std::vector<bool> writes;
  const core::Status status = Transact(group, outcomes, writes);
  const auto write_count = std::count(writes.begin(), writes.end(), true);
  if (!status.ok() && status.code() != core::StatusCode::kUnavailable &&
      write_count > 1) {
    // One request may have made the server refuse the whole transaction:
    // retry each writer alone so only that one fails.
    for (size_t i = 0; i < group.size(); ++i) {
      if (!writes[i]) {
        group[i]->done.set_value(std::move(outcomes[i]));
        continue;
      }
      Group alone;
      alone.push_back(std::move(group[i]));
      // The plan took the events; its result holds them (positions are
      // reassigned on the retry).
      alone.front()->request.events.clear();
      for (const core::EventPtr& e : outcomes[i]->events) {
        alone.front()->request.events.push_back(*e);
      }
      Commit(alone);
    }
    return;
  }
  if (status.ok() && write_count > 0) signal_.Notify();
  for (size_t i = 0; i < group.size(); ++i) {
    if (i >= outcomes.size() || (writes[i] && !status.ok())) {
      group[i]->done.set_value(status);
    } else {
      group[i]->done.set_value(std::move(outcomes[i]));
    }
  }
}

core::Status PgAppendWriter::EnsureConnected() {
  // ClosedByServer: after a server restart the first group of appends
  // goes to a new connection instead of failing on the old one.
  if (conn_ != nullptr && !conn_->ClosedByServer()) return core::Status::Ok();
  conn_.reset();
  ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> conn,
                   PgConnection::Connect(conninfo_));
  RETURN_IF_ERROR(pg::PrepareStatements(*conn));
  conn_ = std::move(conn);
  return core::Status::Ok();
}

core::Result<PgAppendPlan> PgAppendWriter::ReadState(const Group& group) {
  std::set<std::pair<std::string_view, std::string_view>> keys;
  std::vector<std::string> ids;
  for (const auto& p : group) {
    keys.emplace(p->request.tenant, p->request.stream);
    for (const core::Event& e : p->request.events) ids.push_back(e.event_id);
  }
  std::string tenants = "{", streams = "{";
  for (const auto& [tenant, stream] : keys) {
    if (tenants.size() > 1) tenants.push_back(',');
    if (streams.size() > 1) streams.push_back(',');
    AppendArrayElement(tenant, tenants);
    AppendArrayElement(stream, streams);
  }
  tenants.push_back('}');
  streams.push_back('}');
  ASSIGN_OR_RETURN(std::vector<PgResult> r,
                   conn_->Pipeline({{pg::kBegin, {}},
                                    {pg::kLockHead, {}},
                                    {pg::kStreamsOf, {tenants, streams}},
                                    {pg::kEventsById, {ArrayLiteral(ids)}}}));
  std::map<std::string, PgStreamState> states;
  for (int row = 0; row < r[2].rows(); ++row) {
    states[PgAppendPlan::StreamKey(r[2].Get(row, 0), r[2].Get(row, 1))] =
        PgStreamState{r[2].GetInt(row, 2), r[2].GetBool(row, 3)};
  }
  std::unordered_map<std::string, PgStoredEvent> stored;
  for (int row = 0; row < r[3].rows(); ++row) {
    ASSIGN_OR_RETURN(core::EventPtr event, decoder_.Decode(r[3].Get(row, 4)));
    stored[std::string(r[3].Get(row, 0))] =
        PgStoredEvent{std::string(r[3].Get(row, 1)),
                      std::string(r[3].Get(row, 2)), std::move(event), false};
  }
  return PgAppendPlan(r[1].GetInt(0, 0), std::move(states), std::move(stored));
}

core::Status PgAppendWriter::Transact(
    Group& group, std::vector<core::Result<AppendResult>>& outcomes,
    std::vector<bool>& writes) {
  RETURN_IF_ERROR(EnsureConnected());
  auto rollback = [&] {
    if (!conn_->broken())
      conn_->Execute(pg::kRollback, {}).status().IgnoreError();
  };
  core::Result<PgAppendPlan> plan = ReadState(group);
  if (!plan.ok()) {
    rollback();
    return plan.status();
  }
  for (const auto& p : group) {
    outcomes.push_back(plan->Add(p->request));
    writes.push_back(plan->last_was_write());
  }
  std::vector<PgCommand> commands;
  if (!plan->empty()) {
    commands.push_back({pg::kInsertEvents, plan->InsertEventsParams()});
    commands.push_back({pg::kUpsertStreams, plan->UpsertStreamsParams()});
    commands.push_back({pg::kSetHead, {std::to_string(plan->head())}});
    commands.push_back({pg::kNotify, {channel_, std::to_string(plan->head())}});
  }
  commands.push_back({pg::kCommit, {}});
  auto committed = conn_->Pipeline(commands);
  if (committed.ok()) return core::Status::Ok();
  rollback();
  if (conn_->broken()) {
    return core::UnavailableError(
        committed.status().message() +
        " (the connection broke before COMMIT was confirmed: the append may "
        "or may not be stored; retrying it is safe, appends are idempotent)");
  }
  return committed.status();
}

}  // namespace stockpile::store
