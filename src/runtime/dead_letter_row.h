// The column layout of table runtime_dead_letters, shared by the SQL
// backends of DeadLetterStore (SQLite, PostgreSQL): the column list their
// statements name, in order, and the decoding of one selected row.
//
//   "SELECT " + std::string(kDeadLetterColumns) + " FROM runtime_dead_letters"
//   ASSIGN_OR_RETURN(DeadLetter d, DeadLetterFromRow(
//       [&](int c) { return st.Text(c); }, [&](int c) { return st.Int(c); }));
//
// Thread-safety: constants and a pure function.
#ifndef STOCKPILE_RUNTIME_DEAD_LETTER_ROW_H_
#define STOCKPILE_RUNTIME_DEAD_LETTER_ROW_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/status_macros.h"
#include "runtime/dead_letter.h"

namespace stockpile::runtime {

// Bound parameters 1..14 of an insert follow this order too.
inline constexpr std::string_view kDeadLetterColumns =
    "id, subscription, event_id, event_type, tenant_id, aggregate_id,"
    " position, error, attempts, first_failed_at_ms, last_failed_at_ms,"
    " state, next_attempt_at_ms, event_json";

// `text(c)` and `integer(c)` read column c (0-based, in kDeadLetterColumns
// order) of the current row. InvalidArgument for an unknown state name.
template <typename Text, typename Integer>
core::Result<DeadLetter> DeadLetterFromRow(const Text& text,
                                           const Integer& integer) {
  DeadLetter d;
  d.id = std::string(text(0));
  d.subscription = std::string(text(1));
  d.event_id = std::string(text(2));
  d.event_type = std::string(text(3));
  d.tenant_id = std::string(text(4));
  d.aggregate_id = std::string(text(5));
  d.position = integer(6);
  d.error = std::string(text(7));
  d.attempts = static_cast<int>(integer(8));
  d.first_failed_at_ms = integer(9);
  d.last_failed_at_ms = integer(10);
  ASSIGN_OR_RETURN(d.state, ParseDeadLetterState(text(11)));
  d.next_attempt_at_ms = integer(12);
  d.event_json = std::string(text(13));
  return d;
}

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_DEAD_LETTER_ROW_H_
