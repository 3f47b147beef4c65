#include "runtime/event_processor.h"

#include <exception>
#include <utility>

#include "core/event_codec.h"
#include "core/status_macros.h"
#include "runtime/dead_letter.h"

namespace stockpile::runtime {

EventProcessor::EventProcessor(const ConsumerOptions& options,
                               const ConsumerDeps& deps, JitterSource& jitter,
                               ConsumerCounters& counters,
                               std::function<int64_t()> checkpoint)
    : options_(options),
      deps_(deps),
      jitter_(jitter),
      counters_(counters),
      checkpoint_(std::move(checkpoint)) {}

EventProcessor::Result EventProcessor::Process(WorkItem& item) {
  const core::Event& event = *item.event;
  const bool has_record = item.from_dead_letter || item.failed_attempts > 0;

  if (item.from_dead_letter) {
    // The record may have been resolved since the item was queued (a stale
    // redrive scan): deliver only what the record still asks for.
    core::Result<DeadLetter> record =
        deps_.dead_letters->Get(DeadLetterId(options_.name, event.event_id));
    if (!record.ok()) {
      if (record.status().code() == core::StatusCode::kNotFound) {
        return Result::kSkipped;
      }
      return Fail(item, record.status().ToString(), false);
    }
    const DeadLetterState expected = item.single_attempt
                                         ? DeadLetterState::kRedriveRequested
                                         : DeadLetterState::kRetrying;
    if (record->state != expected) return Result::kSkipped;
  }

  // A redelivered event that was handled before: skip the handler (its
  // side effects outside the database must not repeat either).
  core::Result<bool> seen = false;
  if (MaySeeAgain(event, has_record)) {
    seen = deps_.inbox->Contains(options_.name, event.event_id);
  }
  if (!seen.ok()) return Fail(item, seen.status().ToString(), false);
  if (*seen && !has_record) {
    counters_.duplicates.fetch_add(1);
    return Result::kSkipped;
  }

  HandlerContext ctx(options_.name, item.failed_attempts + 1);
  if (!*seen) {
    HandlerOutcome outcome = CallHandler(item.event, ctx);
    if (!outcome.ok()) {
      return Fail(item, outcome.error(),
                  outcome.kind() == HandlerOutcome::Kind::kPermanent);
    }
  }

  bool duplicate = false;
  core::Status committed = Commit(item, ctx, duplicate);
  if (!committed.ok()) {
    return Fail(item, "commit failed: " + committed.ToString(), false);
  }
  (duplicate ? counters_.duplicates : counters_.processed).fetch_add(1);
  counters_.last_progress_at_ms.store(deps_.clock->NowMillis());
  return Result::kDone;
}

HandlerOutcome EventProcessor::CallHandler(const core::EventPtr& event,
                                           HandlerContext& ctx) {
  try {
    if (options_.handler) return options_.handler(event, ctx);
    return options_.batch_handler(std::span<const core::EventPtr>(&event, 1),
                                  ctx);
  } catch (const std::exception& e) {
    return HandlerOutcome::Retryable(std::string("handler threw: ") + e.what());
  }
}

EventProcessor::BatchResult EventProcessor::ProcessBatch(
    const std::vector<WorkItem>& items) {
  std::vector<core::EventPtr> fresh;
  fresh.reserve(items.size());
  for (const WorkItem& item : items) {
    core::Result<bool> seen = false;
    if (MaySeeAgain(*item.event, false)) {
      seen = deps_.inbox->Contains(options_.name, item.event->event_id);
    }
    if (!seen.ok()) {
      counters_.SetLastError(seen.status().ToString());
      return BatchResult::kFailed;
    }
    if (*seen) {
      counters_.duplicates.fetch_add(1);
    } else {
      fresh.push_back(item.event);
    }
  }
  if (fresh.empty()) return BatchResult::kSkipped;

  HandlerContext ctx(options_.name, 1);
  HandlerOutcome outcome = HandlerOutcome::Ok();
  try {
    outcome = options_.batch_handler(fresh, ctx);
  } catch (const std::exception& e) {
    outcome =
        HandlerOutcome::Retryable(std::string("handler threw: ") + e.what());
  }
  if (!outcome.ok()) {
    counters_.SetLastError("batch failed: " + outcome.error());
    return BatchResult::kFailed;
  }
  core::Status committed =
      deps_.transactions->Run([&](Transaction& tx) -> core::Status {
        for (const TransactionWork& effect : ctx.effects()) {
          RETURN_IF_ERROR(effect(tx));
        }
        for (const core::EventPtr& event : fresh) {
          RETURN_IF_ERROR(deps_.inbox->Add(tx, options_.name, event->event_id));
        }
        return deps_.checkpoints->Save(tx, options_.name, checkpoint_());
      });
  if (!committed.ok()) {
    counters_.SetLastError("batch commit failed: " + committed.ToString());
    return BatchResult::kFailed;
  }
  counters_.processed.fetch_add(static_cast<int64_t>(fresh.size()));
  counters_.batches.fetch_add(1);
  counters_.last_progress_at_ms.store(deps_.clock->NowMillis());
  return BatchResult::kDone;
}

core::Status EventProcessor::Commit(const WorkItem& item,
                                    const HandlerContext& ctx,
                                    bool& duplicate) {
  const core::Event& event = *item.event;
  const bool has_record = item.from_dead_letter || item.failed_attempts > 0;
  return deps_.transactions->Run([&](Transaction& tx) -> core::Status {
    ASSIGN_OR_RETURN(bool seen,
                     deps_.inbox->Contains(tx, options_.name, event.event_id));
    duplicate = seen;
    if (!seen) {
      for (const TransactionWork& effect : ctx.effects()) {
        RETURN_IF_ERROR(effect(tx));
      }
      RETURN_IF_ERROR(deps_.inbox->Add(tx, options_.name, event.event_id));
    }
    if (has_record) {
      RETURN_IF_ERROR(deps_.dead_letters->Remove(
          tx, DeadLetterId(options_.name, event.event_id)));
    }
    return deps_.checkpoints->Save(tx, options_.name, checkpoint_());
  });
}

EventProcessor::Result EventProcessor::Fail(WorkItem& item,
                                            const std::string& error,
                                            bool permanent) {
  const core::Event& event = *item.event;
  const int64_t now = deps_.clock->NowMillis();
  item.failed_attempts += 1;
  if (item.first_failed_at_ms == 0) item.first_failed_at_ms = now;

  DeadLetter record{
      .id = DeadLetterId(options_.name, event.event_id),
      .subscription = options_.name,
      .event_id = event.event_id,
      .event_type = event.event_type,
      .tenant_id = event.tenant_id,
      .aggregate_id = event.aggregate_id,
      .position = event.position,
      .error = error,
      .attempts = item.failed_attempts,
      .first_failed_at_ms = item.first_failed_at_ms,
      .last_failed_at_ms = now,
      .event_json = core::EncodeEvent(event),
  };
  const bool retry = !permanent && !item.single_attempt &&
                     options_.retry.ShouldRetry(item.failed_attempts);
  int64_t delay_ms = 0;
  if (retry) {
    delay_ms =
        options_.retry.DelayBefore(item.failed_attempts + 1, jitter_).count();
    record.state = DeadLetterState::kRetrying;
    record.next_attempt_at_ms = now + delay_ms;
  } else {
    record.state = DeadLetterState::kParked;
  }

  core::Status recorded = deps_.transactions->Run(
      [&](Transaction& tx) { return deps_.dead_letters->Put(tx, record); });
  if (!recorded.ok()) {
    // Without a durable record the event must not be dropped: keep it and
    // try again later (the handler runs once more).
    counters_.SetLastError(
        error + "; recording the failure failed: " + recorded.ToString());
    item.failed_attempts -= 1;
    item.not_before_ms = now + options_.retry.Ceiling(2).count();
    return Result::kRetryLater;
  }
  counters_.SetLastError(error);
  if (retry) {
    counters_.retried.fetch_add(1);
    item.not_before_ms = record.next_attempt_at_ms;
    return Result::kRetryLater;
  }
  counters_.parked.fetch_add(1);
  counters_.last_progress_at_ms.store(now);
  return Result::kParked;
}

}  // namespace stockpile::runtime
