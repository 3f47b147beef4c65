// X-Correlation-Id: ties together the request, every event it causes and
// every log line about it (DESIGN.md §2). A client may send its own id; it
// is accepted when it is 1..128 printable ASCII characters (0x21-0x7E),
// otherwise a fresh UUIDv7 replaces it. Either way the id is returned on
// the response and given to the handler as Request::correlation_id.
#ifndef STOCKPILE_API_CORRELATION_ID_H_
#define STOCKPILE_API_CORRELATION_ID_H_

#include <optional>
#include <string>
#include <string_view>

#include "core/uuid.h"

namespace stockpile::api {

inline constexpr std::string_view kCorrelationIdHeader = "X-Correlation-Id";
inline constexpr size_t kMaxCorrelationIdLength = 128;

bool IsValidCorrelationId(std::string_view id);

// `sent` when it is valid, otherwise a new id from `ids`.
std::string ChooseCorrelationId(std::optional<std::string_view> sent,
                                core::UuidV7Generator& ids);

}  // namespace stockpile::api

#endif  // STOCKPILE_API_CORRELATION_ID_H_
