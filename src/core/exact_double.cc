#include "core/exact_double.h"

#include <charconv>
#include <cmath>
#include <system_error>

namespace stockpile::core::internal {

std::optional<double> ExactDouble(std::string_view text, double approx) {
  double value = 0;
  const char* end = text.data() + text.size();
  // from_chars' general format accepts every JSON number ("1e+5" too) and
  // rounds correctly; it reports out of range for 1e400 and 1e-400.
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec == std::errc() && ptr == end) return value;
  if (!std::isfinite(approx)) return std::nullopt;
  return approx;
}

std::optional<double> NumberText::Finish(std::string_view last, double approx) {
  if (parts_.empty()) return ExactDouble(last, approx);
  parts_.append(last);
  std::optional<double> value = ExactDouble(parts_, approx);
  parts_.clear();
  return value;
}

}  // namespace stockpile::core::internal
