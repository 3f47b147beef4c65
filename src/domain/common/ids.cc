#include "domain/common/ids.h"

namespace stockpile::domain::common {

core::Status ValidateId(std::string_view id, std::string_view what) {
  if (id.empty())
    return core::InvalidArgumentError(std::string(what) + " is empty");
  if (id.size() > kMaxIdLength) {
    return core::InvalidArgumentError(std::string(what) +
                                      " is longer than 100 characters");
  }
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '_' || c == '.' ||
                    c == ':' || c == '-';
    if (!ok) {
      return core::InvalidArgumentError(
          std::string(what) + " '" + std::string(id) +
          "' may contain only [A-Za-z0-9] and _.:-");
    }
  }
  return core::Status::Ok();
}

std::string PositionId(std::string_view product_id,
                       std::string_view location_id) {
  std::string out(product_id);
  out.push_back('@');
  out.append(location_id);
  return out;
}

}  // namespace stockpile::domain::common
