#include "runtime/saga.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include "core/event_codec.h"
#include "core/json_text.h"
#include "core/status_macros.h"
#include "core/uuid.h"
#include "runtime/handler_context.h"
#include "runtime/work_item.h"

namespace stockpile::runtime {
namespace {

// The namespace of the UUIDs derived for steps and emitted events.
constexpr std::string_view kIdSpace = "stockpile.saga";

// The stored document: the runtime's envelope around the user state.
//   {"state": {...}, "timers": {"name": dueAtMs, ...},
//    "compensations": [{"step": "...", "data": {...}}, ...]}
constexpr std::string_view kState = "state";
constexpr std::string_view kTimers = "timers";
constexpr std::string_view kCompensations = "compensations";

core::Status Corrupt(const SagaId& id, std::string_view what) {
  return core::InvalidArgumentError(
      "saga '" + id.saga + "' instance '" + id.key + "' of tenant '" +
      id.tenant + "' has a malformed document: " + std::string(what));
}

}  // namespace

void SagaContext::Emit(std::string stream, core::Event event) {
  emitted_.push_back(Emitted{std::move(stream), std::move(event)});
}

void SagaContext::SetTimer(std::string name, int64_t due_at_ms) {
  timers_[std::move(name)] = due_at_ms;
}

void SagaContext::CancelTimer(std::string_view name) {
  if (auto it = timers_.find(name); it != timers_.end()) timers_.erase(it);
}

void SagaContext::AddCompensation(std::string step, boost::json::object data) {
  compensations_.push_back(Compensation{std::move(step), std::move(data)});
}

core::Result<std::unique_ptr<Saga>> Saga::Create(SagaDefinition definition,
                                                 SagaDeps deps) {
  if (definition.name.empty()) {
    return core::InvalidArgumentError("a saga needs a name");
  }
  if (!definition.correlate || !definition.starts || !definition.on_event) {
    return core::InvalidArgumentError(
        "saga '" + definition.name +
        "' needs correlate, starts and on_event callbacks");
  }
  if (deps.events == nullptr || deps.sagas == nullptr ||
      deps.transactions == nullptr || deps.clock == nullptr) {
    return core::InvalidArgumentError(
        "saga '" + definition.name +
        "' needs an event store, a saga store, a transaction runner and a "
        "clock");
  }
  if (deps.timer_poll.count() <= 0 || deps.timer_max_backoff.count() <= 0) {
    return core::InvalidArgumentError("saga '" + definition.name +
                                      "': timer intervals must be positive");
  }
  return std::unique_ptr<Saga>(new Saga(std::move(definition), deps));
}

Saga::Saga(SagaDefinition definition, SagaDeps deps)
    : definition_(std::move(definition)), deps_(deps) {}

Saga::~Saga() { Stop(); }

ConsumerOptions Saga::Subscription() {
  ConsumerOptions options;
  options.name = definition_.name;
  options.type_patterns = definition_.type_patterns;
  // One instance's events one at a time, in log order (they come from
  // several aggregates): no step sees an instance before the step of an
  // earlier event committed, so none is mistaken for "no instance yet".
  options.ordering_key = [this](const core::Event& e) {
    std::string key = definition_.correlate(e);
    if (key.empty()) return AggregateKey(e);
    return e.tenant_id + '\x1f' + definition_.name + '\x1f' + key;
  };
  options.handler = [this](const core::EventPtr& e, HandlerContext& hctx) {
    std::string key = definition_.correlate(*e);
    if (key.empty()) return HandlerOutcome::Ok();
    SagaId id{.saga = definition_.name,
              .tenant = e->tenant_id,
              .key = std::move(key)};
    core::Status status = Step(id, e.get(), nullptr, &hctx);
    Record(status);
    return HandlerOutcome::FromStatus(status);
  };
  return options;
}

core::Status Saga::Step(const SagaId& id, const core::Event* cause,
                        const SagaTimer* timer, HandlerContext* commit_in) {
  // 1. The instance.
  SagaRecord record;
  core::Result<SagaRecord> loaded = deps_.sagas->Load(id);
  if (loaded.ok()) {
    record = *std::move(loaded);
    if (record.completed) return core::Status::Ok();
  } else if (loaded.status().code() == core::StatusCode::kNotFound) {
    if (cause == nullptr || !definition_.starts(*cause)) {
      // A timer row without an instance cannot happen through this class;
      // an event that does not start one is not this saga's business.
      if (timer == nullptr) return core::Status::Ok();
      return deps_.transactions->Run([&](Transaction& tx) {
        return deps_.sagas->CancelTimer(tx, id, timer->name);
      });
    }
    record.id = id;
  } else {
    return loaded.status();
  }

  SagaContext ctx;
  ctx.id_ = id;
  ctx.is_new_ = record.version == 0;
  ctx.cause_ = cause;
  ctx.now_ms_ = deps_.clock->NowMillis();
  ctx.step_id_ =
      core::Uuid::FromName(kIdSpace, cause != nullptr
                                         ? id.saga + "\n" + cause->event_id
                                         : id.saga + "\n" + id.tenant + "\n" +
                                               id.key + "\ntimer\n" +
                                               timer->name + "\n" +
                                               std::to_string(timer->due_at_ms))
          .ToString();
  if (!record.document.empty()) {
    RETURN_IF_ERROR(Decode(record.document, ctx));
  }
  const std::map<std::string, int64_t, std::less<>> timers_before = ctx.timers_;

  // 2. The step itself.
  if (timer != nullptr) {
    auto it = ctx.timers_.find(timer->name);
    if (it == ctx.timers_.end() || it->second != timer->due_at_ms) {
      // The instance moved the timer (or dropped it) after the row was
      // read: not due any more.
      return core::Status::Ok();
    }
    ctx.timers_.erase(it);
    if (!definition_.on_timer) {
      return core::FailedPreconditionError("saga '" + id.saga +
                                           "' set a timer but has no on_timer");
    }
    RETURN_IF_ERROR(definition_.on_timer(timer->name, ctx));
  } else {
    RETURN_IF_ERROR(definition_.on_event(*cause, ctx));
  }

  // 3. Compensation, newest step first.
  if (ctx.compensate_) {
    std::vector<SagaContext::Compensation> steps =
        std::move(ctx.compensations_);
    ctx.compensations_.clear();
    for (auto it = steps.rbegin(); it != steps.rend(); ++it) {
      auto fn = definition_.compensations.find(it->step);
      if (fn == definition_.compensations.end()) {
        return core::FailedPreconditionError("saga '" + id.saga +
                                             "' has no compensation step '" +
                                             it->step + "'");
      }
      RETURN_IF_ERROR(fn->second(it->data, ctx));
    }
  }

  // 4. Emitted events, with ids of this step: a re-run appends the same
  // ids, which the store answers as an idempotent re-append.
  for (size_t i = 0; i < ctx.emitted_.size(); ++i) {
    SagaContext::Emitted& out = ctx.emitted_[i];
    out.event.event_id =
        core::Uuid::FromName(kIdSpace, ctx.step_id_ + "\n" + std::to_string(i))
            .ToString();
    const std::string tenant = out.event.tenant_id;
    RETURN_IF_ERROR(deps_.events
                        ->Append(tenant, out.stream,
                                 store::ExpectedVersion::Any(),
                                 {std::move(out.event)})
                        .status());
  }

  // 5. The new state, committed with optimistic concurrency.
  if (ctx.completed_) ctx.timers_.clear();
  SagaRecord next{.id = id,
                  .document = Encode(ctx),
                  .completed = ctx.completed_,
                  .updated_at_ms = ctx.now_ms_};
  const int64_t expected = record.version;
  const bool created = record.version == 0;
  const bool completed = ctx.completed_;
  std::vector<SagaTimer> set;
  std::vector<std::string> cancelled;
  for (const auto& [name, due] : ctx.timers_) {
    auto before = timers_before.find(name);
    if (before == timers_before.end() || before->second != due) {
      set.push_back(SagaTimer{.id = id, .name = name, .due_at_ms = due});
    }
  }
  for (const auto& [name, due] : timers_before) {
    if (!ctx.timers_.contains(name)) cancelled.push_back(name);
  }
  TransactionWork commit =
      [this, next = std::move(next), expected, set = std::move(set),
       cancelled = std::move(cancelled)](Transaction& tx) -> core::Status {
    RETURN_IF_ERROR(deps_.sagas->Save(tx, next, expected));
    for (const SagaTimer& t : set)
      RETURN_IF_ERROR(deps_.sagas->SetTimer(tx, t));
    for (const std::string& name : cancelled) {
      RETURN_IF_ERROR(deps_.sagas->CancelTimer(tx, next.id, name));
    }
    return core::Status::Ok();
  };
  auto count = [this, created, completed, fired = timer != nullptr] {
    std::lock_guard<std::mutex> lock(mu_);
    ++stats_.steps;
    if (created) ++stats_.started;
    if (completed) ++stats_.completed;
    if (fired) ++stats_.timers_fired;
  };
  if (commit_in != nullptr) {
    // The consumer commits it with the inbox record and the checkpoint.
    commit_in->AddEffect(
        [this, commit = std::move(commit), count](Transaction& tx) {
          core::Status status = commit(tx);
          Record(status);
          if (status.ok()) count();  // (counted even if the commit then fails)
          return status;
        });
    return core::Status::Ok();
  }
  RETURN_IF_ERROR(deps_.transactions->Run(commit));
  count();
  return core::Status::Ok();
}

std::string Saga::Encode(const SagaContext& ctx) {
  boost::json::object doc;
  doc[kState] = ctx.state_;
  boost::json::object timers;
  for (const auto& [name, due] : ctx.timers_) timers[name] = due;
  doc[kTimers] = std::move(timers);
  boost::json::array compensations;
  for (const auto& c : ctx.compensations_) {
    compensations.push_back(
        boost::json::object{{"step", c.step}, {"data", c.data}});
  }
  doc[kCompensations] = std::move(compensations);
  std::string out;
  core::AppendJsonObject(doc, out);
  return out;
}

core::Status Saga::Decode(std::string_view document, SagaContext& ctx) {
  core::Result<boost::json::value> parsed =
      core::ParseJson(document, core::kStoredJsonLimits);
  if (!parsed.ok()) return Corrupt(ctx.id_, parsed.status().message());
  if (!parsed->is_object()) return Corrupt(ctx.id_, "not an object");
  boost::json::object& o = parsed->as_object();
  if (auto* s = o.if_contains(kState); s != nullptr && s->is_object()) {
    ctx.state_ = std::move(s->as_object());
  }
  if (auto* t = o.if_contains(kTimers); t != nullptr && t->is_object()) {
    for (const auto& [name, due] : t->as_object()) {
      if (!due.is_int64()) return Corrupt(ctx.id_, "a timer is not an integer");
      ctx.timers_[std::string(name)] = due.as_int64();
    }
  }
  if (auto* c = o.if_contains(kCompensations); c != nullptr && c->is_array()) {
    for (const auto& entry : c->as_array()) {
      const auto* e = entry.if_object();
      const auto* step = e != nullptr ? e->if_contains("step") : nullptr;
      const auto* data = e != nullptr ? e->if_contains("data") : nullptr;
      if (step == nullptr || !step->is_string() || data == nullptr ||
          !data->is_object()) {
        return Corrupt(ctx.id_, "a compensation lacks its step or data");
      }
      ctx.compensations_.push_back(SagaContext::Compensation{
          std::string(step->as_string()), data->as_object()});
    }
  }
  return core::Status::Ok();
}

void Saga::Record(const core::Status& status) {
  if (status.ok()) return;
  std::lock_guard<std::mutex> lock(mu_);
  ++stats_.failures;
  if (status.code() == core::StatusCode::kConflict) ++stats_.conflicts;
  stats_.last_error = status.ToString();
}

core::Status Saga::FireTimer(const SagaTimer& timer) {
  return Step(timer.id, nullptr, &timer, nullptr);
}

int Saga::FireDueTimers() {
  const int64_t now = deps_.clock->NowMillis();
  core::Result<std::vector<SagaTimer>> due =
      deps_.sagas->DueTimers(definition_.name, now, 256);
  if (!due.ok()) {
    Record(due.status());
    return 0;
  }
  int fired = 0;
  for (const SagaTimer& t : *due) {
    const auto key = std::make_pair(t.id, t.name);
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = timer_backoff_.find(key);
      if (it != timer_backoff_.end() && it->second.first > now) continue;
    }
    core::Status status = FireTimer(t);
    Record(status);
    std::lock_guard<std::mutex> lock(mu_);
    if (status.ok()) {
      timer_backoff_.erase(key);
      ++fired;
      continue;
    }
    // Doubling backoff from the poll interval, capped.
    auto& [next, delay] = timer_backoff_[key];
    delay = delay.count() == 0 ? deps_.timer_poll
                               : std::min(delay * 2, deps_.timer_max_backoff);
    next = now + delay.count();
  }
  return fired;
}

void Saga::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (poller_.joinable() || stopping_) return;
  poller_ = std::thread([this] { PollLoop(); });
}

void Saga::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (poller_.joinable()) poller_.join();
}

void Saga::PollLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    lock.unlock();
    FireDueTimers();
    lock.lock();
    wake_.wait_for(lock, deps_.timer_poll, [this] { return stopping_; });
  }
}

SagaStats Saga::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

}  // namespace stockpile::runtime
