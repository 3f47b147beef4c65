#include "core/exact_double.h"

#include <charconv>
#include <system_error>

namespace stockpile::core::internal {

double ExactDouble(std::string_view text, double approx) {
  double value = 0;
  const char* end = text.data() + text.size();
  // from_chars' general format accepts every JSON number ("1e+5" too) and
  // rounds correctly; it reports out of range for 1e400 and 1e-400.
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end) return approx;
  return value;
}

double NumberText::Finish(std::string_view last, double approx) {
  if (parts_.empty()) return ExactDouble(last, approx);
  parts_.append(last);
  double value = ExactDouble(parts_, approx);
  parts_.clear();
  return value;
}

}  // namespace stockpile::core::internal
