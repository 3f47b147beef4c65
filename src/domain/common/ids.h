// Entity ids and the stream names built from them.
//
// An id (product, location, supplier, order, transfer) is 1..100 characters
// of [A-Za-z0-9_.:-], so that "<kind>-<id>" is always a valid stream name
// and "<productId>@<locationId>" is unambiguous.
//
// Thread-safety: pure functions.
#ifndef STOCKPILE_DOMAIN_COMMON_IDS_H_
#define STOCKPILE_DOMAIN_COMMON_IDS_H_

#include <string>
#include <string_view>

#include "core/status.h"

namespace stockpile::domain::common {

inline constexpr size_t kMaxIdLength = 100;

// OK, or InvalidArgument "<what> ... " saying what is wrong.
core::Status ValidateId(std::string_view id, std::string_view what);

// "<productId>@<locationId>", the aggregateId of inventory_position events.
std::string PositionId(std::string_view product_id,
                       std::string_view location_id);

}  // namespace stockpile::domain::common

#endif  // STOCKPILE_DOMAIN_COMMON_IDS_H_
