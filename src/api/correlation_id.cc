#include "api/correlation_id.h"

namespace stockpile::api {

bool IsValidCorrelationId(std::string_view id) {
  if (id.empty() || id.size() > kMaxCorrelationIdLength) return false;
  for (char c : id) {
    if (c < 0x21 || c > 0x7E) return false;
  }
  return true;
}

std::string ChooseCorrelationId(std::optional<std::string_view> sent,
                                core::UuidV7Generator& ids) {
  if (sent.has_value() && IsValidCorrelationId(*sent)) {
    return std::string(*sent);
  }
  return ids.NextString();
}

}  // namespace stockpile::api
