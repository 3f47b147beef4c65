// Exact decimal-to-double conversion for JSON numbers.
//
// Boost.JSON 1.81's parser converts a number with a fast algorithm that is
// off by one unit in the last place for some inputs (precise parsing only
// arrived in 1.83). Its serializer prints the shortest text that round
// trips, so an event re-read from the log could carry a different double
// than was written. The parse handlers in core keep the number's text and
// convert it here, correctly rounded, so decode(encode(x)) == x.
//
//   NumberText text;
//   text.Append(part);                                  // on_number_part
//   std::optional<double> d = text.Finish(last, approx);  // on_double
//
// A number beyond double's range (1e400) is refused rather than read as
// infinity, which JSON cannot carry back out.
//
// Thread-safety: a NumberText belongs to one parser.
#ifndef STOCKPILE_CORE_EXACT_DOUBLE_H_
#define STOCKPILE_CORE_EXACT_DOUBLE_H_

#include <optional>
#include <string>
#include <string_view>

namespace stockpile::core::internal {

// The double nearest to the JSON number `text`; `approx` (the parser's own
// value) for a number too small to represent (1e-400 reads as 0); nullopt
// for one too large.
std::optional<double> ExactDouble(std::string_view text, double approx);

// The text of one number, which the parser may deliver in parts.
class NumberText {
 public:
  void Append(std::string_view part) { parts_.append(part); }

  // The exact value of the number whose text ends with `last`; forgets the
  // parts for the next number.
  std::optional<double> Finish(std::string_view last, double approx);

  // Forgets the parts of a number that turned out to be an integer.
  void Clear() { parts_.clear(); }

 private:
  std::string parts_;
};

}  // namespace stockpile::core::internal

#endif  // STOCKPILE_CORE_EXACT_DOUBLE_H_
