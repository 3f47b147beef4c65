// Status: the outcome of an operation that can fail, carried across layer
// boundaries as a value (never as an exception).
//
//   Status s = store.Append(...);
//   if (!s.ok()) return s;
//
// A Status is cheap to copy when ok() (no allocation). Codes are canonical and
// map to HTTP in exactly one place (api/status_http.h).
//
// Thread-safety: a Status is a value; distinct objects may be used from
// different threads freely.
#ifndef STOCKPILE_CORE_STATUS_H_
#define STOCKPILE_CORE_STATUS_H_

#include <memory>
#include <ostream>
#include <string>
#include <string_view>

namespace stockpile::core {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // the caller sent something malformed (400/422)
  kNotFound,            // the named thing does not exist (404)
  kConflict,            // a concurrent change or a state conflict (409)
  kAlreadyExists,       // a unique key is taken (409)
  kFailedPrecondition,  // the system is not in a state that allows it (409)
  kUnauthenticated,     // no or invalid credentials (401)
  kPermissionDenied,    // authenticated, not allowed (403)
  kResourceExhausted,   // a size or rate limit was hit (413/429)
  kUnavailable,         // try again later: a dependency is down (503)
  kDeadlineExceeded,    // it took too long (504)
  kCancelled,           // the operation was stopped (shutdown)
  kInternal,            // a bug or a broken invariant (500)
};

// Returns the canonical name of `code`, e.g. "InvalidArgument".
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  // An ok status.
  Status() = default;
  Status(StatusCode code, std::string_view message);

  static Status Ok() { return Status(); }

  bool ok() const { return rep_ == nullptr; }
  StatusCode code() const { return rep_ ? rep_->code : StatusCode::kOk; }
  // Empty when ok().
  const std::string& message() const;

  // "Conflict: stream 'x' is at version 3, expected 2"; "OK" when ok().
  std::string ToString() const;

  // Returns a copy whose message is "<prefix>: <message>". No-op when ok().
  Status WithContext(std::string_view prefix) const;

  // Marks a deliberately ignored status.
  void IgnoreError() const {}

  friend bool operator==(const Status& a, const Status& b) {
    return a.code() == b.code() && a.message() == b.message();
  }

 private:
  struct Rep {
    StatusCode code;
    std::string message;
  };
  std::shared_ptr<const Rep> rep_;  // null when ok; immutable once built
};

std::ostream& operator<<(std::ostream& os, const Status& s);

// Convenience constructors, one per canonical code.
Status InvalidArgumentError(std::string_view message);
Status NotFoundError(std::string_view message);
Status ConflictError(std::string_view message);
Status AlreadyExistsError(std::string_view message);
Status FailedPreconditionError(std::string_view message);
Status UnauthenticatedError(std::string_view message);
Status PermissionDeniedError(std::string_view message);
Status ResourceExhaustedError(std::string_view message);
Status UnavailableError(std::string_view message);
Status DeadlineExceededError(std::string_view message);
Status CancelledError(std::string_view message);
Status InternalError(std::string_view message);

}  // namespace stockpile::core

#endif  // STOCKPILE_CORE_STATUS_H_
