// RETURN_IF_ERROR / ASSIGN_OR_RETURN: propagate a non-ok Status upwards.
//
//   RETURN_IF_ERROR(ValidateStream(stream));
//   ASSIGN_OR_RETURN(EventPtr e, DecodeEvent(text));
#ifndef STOCKPILE_CORE_STATUS_MACROS_H_
#define STOCKPILE_CORE_STATUS_MACROS_H_

#include "core/result.h"
#include "core/status.h"

#define STOCKPILE_CONCAT_INNER_(a, b) a##b
#define STOCKPILE_CONCAT_(a, b) STOCKPILE_CONCAT_INNER_(a, b)

#define RETURN_IF_ERROR(expr)                              \
  do {                                                     \
    ::stockpile::core::Status stockpile_status_ = (expr);  \
    if (!stockpile_status_.ok()) return stockpile_status_; \
  } while (false)

#define STOCKPILE_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                     \
  if (!tmp.ok()) return tmp.status();                    \
  lhs = std::move(tmp).value()

#define ASSIGN_OR_RETURN(lhs, expr) \
  STOCKPILE_ASSIGN_OR_RETURN_IMPL_( \
      STOCKPILE_CONCAT_(stockpile_result_, __LINE__), lhs, expr)

#endif  // STOCKPILE_CORE_STATUS_MACROS_H_
