// HandlerContext: what a consumer's handler gets besides the event — the
// attempt number and a place to stage its database effects.
//
//   HandlerOutcome Handle(const core::EventPtr& e, HandlerContext& ctx) {
//     int64_t qty = ...;                       // decide outside any lock
//     ctx.AddEffect([=](Transaction& tx) {     // commit with the inbox
//       return UpsertRow(tx.sqlite(), e->aggregate_id, qty);
//     });
//     return HandlerOutcome::Ok();
//   }
//
// Effects run after the handler returned Ok, in one transaction with the
// inbox record and the checkpoint, in the order added. If an effect fails
// the whole transaction rolls back and the event is retried (a retryable
// failure with the effect's error). Effects of a failed handler never run.
//
// Thread-safety: used by one worker thread during one handler call.
#ifndef STOCKPILE_RUNTIME_HANDLER_CONTEXT_H_
#define STOCKPILE_RUNTIME_HANDLER_CONTEXT_H_

#include <functional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/event.h"
#include "runtime/handler_outcome.h"
#include "runtime/transaction.h"

namespace stockpile::runtime {

class HandlerContext {
 public:
  HandlerContext(std::string_view subscription, int attempt)
      : subscription_(subscription), attempt_(attempt) {}

  const std::string& subscription() const { return subscription_; }
  // 1 for the first delivery, 2 for the first retry, ...
  int attempt() const { return attempt_; }

  void AddEffect(TransactionWork effect) {
    effects_.push_back(std::move(effect));
  }
  const std::vector<TransactionWork>& effects() const { return effects_; }

 private:
  const std::string subscription_;
  const int attempt_;
  std::vector<TransactionWork> effects_;
};

// A subscription's handler. Called on a worker thread; the handlers of
// different aggregates may run concurrently, those of one aggregate never.
using Handler =
    std::function<HandlerOutcome(const core::EventPtr&, HandlerContext&)>;

// A subscription's batch handler: up to ConsumerOptions::batch.max_events
// events at once, in log order per aggregate (events of several aggregates
// may be interleaved). Ok applies the effects added to the context for the
// whole batch; any failure makes the runtime hand each event of the batch
// to it again, alone (a batch of one), with the usual retries and dead
// letters per event.
using BatchHandler = std::function<HandlerOutcome(
    std::span<const core::EventPtr>, HandlerContext&)>;

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_HANDLER_CONTEXT_H_
