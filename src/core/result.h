// Result<T>: either a value of type T or a non-ok Status.
//
//   Result<EventPtr> r = DecodeEvent(text);
//   if (!r.ok()) return r.status();
//   const Event& e = **r;
//
// Accessing the value of a failed Result aborts with the status (a CHECK),
// so a forgotten error check fails loudly instead of reading garbage.
#ifndef STOCKPILE_CORE_RESULT_H_
#define STOCKPILE_CORE_RESULT_H_

#include <optional>
#include <type_traits>
#include <utility>

#include "core/check.h"
#include "core/status.h"

namespace stockpile::core {

template <typename T>
class [[nodiscard]] Result {
 public:
  // Implicit from a value and from a (non-ok) Status, so functions can
  // `return value;` and `return SomeError(...);`.
  // NOLINTBEGIN(google-explicit-constructor)
  Result(const T& value) : value_(value) {}
  Result(T&& value) : value_(std::move(value)) {}
  Result(Status status) : status_(std::move(status)) {
    CHECK(!status_.ok()) << "Result constructed from an ok Status";
  }
  template <typename U, typename = std::enable_if_t<
                            std::is_constructible_v<T, U&&> &&
                            !std::is_same_v<std::decay_t<U>, T> &&
                            !std::is_same_v<std::decay_t<U>, Status>>>
  Result(U&& value) : value_(std::forward<U>(value)) {}
  // NOLINTEND(google-explicit-constructor)

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

  const T& value() const& {
    CheckOk();
    return *value_;
  }
  T& value() & {
    CheckOk();
    return *value_;
  }
  T&& value() && {
    CheckOk();
    return std::move(*value_);
  }

  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  // The value, or `fallback` when not ok.
  template <typename U>
  T value_or(U&& fallback) const& {
    return ok() ? *value_ : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  void CheckOk() const {
    CHECK(status_.ok()) << "Result accessed with error: " << status_;
  }

  Status status_;
  std::optional<T> value_;
};

}  // namespace stockpile::core

#endif  // STOCKPILE_CORE_RESULT_H_
