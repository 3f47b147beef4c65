// HandlerOutcome: what a consumer's handler reports for one event.
//
//   return HandlerOutcome::Ok();
//   return HandlerOutcome::Retryable("webhook answered 503");  // try again
//   return HandlerOutcome::Permanent("order has no lines");    // park at once
//
// A retryable failure is retried with the subscription's RetryPolicy and
// parked in the dead-letter store after the last attempt; a permanent one is
// parked at once (DESIGN.md §5).
//
// Thread-safety: a plain value.
#ifndef STOCKPILE_RUNTIME_HANDLER_OUTCOME_H_
#define STOCKPILE_RUNTIME_HANDLER_OUTCOME_H_

#include <string>
#include <utility>

#include "core/status.h"

namespace stockpile::runtime {

class HandlerOutcome {
 public:
  enum class Kind { kOk, kRetryable, kPermanent };

  static HandlerOutcome Ok() { return HandlerOutcome(Kind::kOk, ""); }
  static HandlerOutcome Retryable(std::string error) {
    return HandlerOutcome(Kind::kRetryable, std::move(error));
  }
  static HandlerOutcome Permanent(std::string error) {
    return HandlerOutcome(Kind::kPermanent, std::move(error));
  }
  // A handler's Status as an outcome: a malformed event or a state that
  // cannot change by waiting (InvalidArgument, FailedPrecondition) is
  // permanent, since retrying cannot help; anything else (Unavailable,
  // Conflict, ...) is retryable.
  static HandlerOutcome FromStatus(const core::Status& status) {
    if (status.ok()) return Ok();
    switch (status.code()) {
      case core::StatusCode::kInvalidArgument:
      case core::StatusCode::kFailedPrecondition:
        return Permanent(status.ToString());
      default:
        return Retryable(status.ToString());
    }
  }

  Kind kind() const { return kind_; }
  bool ok() const { return kind_ == Kind::kOk; }
  // Empty for Ok().
  const std::string& error() const { return error_; }

 private:
  HandlerOutcome(Kind kind, std::string error)
      : kind_(kind), error_(std::move(error)) {}

  Kind kind_;
  std::string error_;
};

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_HANDLER_OUTCOME_H_
