// CHECK(cond) << "message": an always-on invariant check. When `cond` is
// false it prints the file, line, condition and message to stderr and aborts,
// in every build type (unlike assert). For broken invariants only; expected
// failures are returned as Status.
#ifndef STOCKPILE_CORE_CHECK_H_
#define STOCKPILE_CORE_CHECK_H_

#include <sstream>

namespace stockpile::core::internal {

// Collects the message of a failed CHECK and aborts in its destructor.
class CheckFailure {
 public:
  CheckFailure(const char* file, int line, const char* condition);
  CheckFailure(const CheckFailure&) = delete;
  CheckFailure& operator=(const CheckFailure&) = delete;
  [[noreturn]] ~CheckFailure();
  std::ostream& stream() { return stream_; }

 private:
  std::ostringstream stream_;
};

// Lets `CHECK(x) << ...` be a void expression in both branches.
struct Voidify {
  void operator&(std::ostream&) {}
};

}  // namespace stockpile::core::internal

#define CHECK(condition)                                       \
  (condition) ? (void)0                                        \
              : ::stockpile::core::internal::Voidify() &       \
                    ::stockpile::core::internal::CheckFailure( \
                        __FILE__, __LINE__, #condition)        \
                        .stream()

#endif  // STOCKPILE_CORE_CHECK_H_
