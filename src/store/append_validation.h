// Input checks every EventStore backend applies before it writes, so all
// backends refuse the same inputs with the same messages.
//
// Thread-safety: pure functions.
#ifndef STOCKPILE_STORE_APPEND_VALIDATION_H_
#define STOCKPILE_STORE_APPEND_VALIDATION_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/event_codec.h"
#include "core/status.h"
#include "store/store_types.h"

namespace stockpile::store {

inline constexpr size_t kMaxStreamNameLength = 200;
inline constexpr size_t kMaxTenantLength = 64;

// A tenant id: 1..64 characters of [A-Za-z0-9_-].
core::Status ValidateTenant(std::string_view tenant);

// A stream name: 1..200 characters of [A-Za-z0-9] and "-_.:@+=~", not
// starting with '$' (reserved). E.g. "order-ord-7", "inventory_position-
// product-001@main".
core::Status ValidateStreamName(std::string_view stream);

// Both of the above: the (tenant, stream) every stream operation names.
core::Status ValidateStreamRef(std::string_view tenant,
                               std::string_view stream);

// A map key naming (tenant, stream) unambiguously ('\0' cannot occur in a
// valid name), for the backends' in-memory stream tables.
std::string StreamKey(std::string_view tenant, std::string_view stream);

// Checks a whole Append batch (see EventStore::Append for the rules).
core::Status ValidateAppend(std::string_view tenant, std::string_view stream,
                            const std::vector<core::Event>& events,
                            const core::CodecLimits& limits);

// Checks the patterns and tenant scoping of a ReadFilter.
core::Status ValidateReadFilter(const ReadFilter& filter);

// The Conflict every backend answers when `expected` does not hold.
core::Status VersionConflict(std::string_view stream, int64_t actual,
                             ExpectedVersion expected);

}  // namespace stockpile::store

#endif  // STOCKPILE_STORE_APPEND_VALIDATION_H_
