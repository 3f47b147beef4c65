// Money and quantities as exact integers (DESIGN.md §7: "money is a JSON
// number with at most 2 decimals (stored as integer minor units);
// quantities are integers").
//
//   ASSIGN_OR_RETURN(int64_t cents, ParseMoney(body.at("price"), "price"));
//   payload["price"] = MoneyToJson(cents);     // 1250 -> 12.5
//
// ParseMoney is exact: 0.29 is 29 minor units, 12.345 is refused, and no
// binary rounding leaks in (a JSON number is accepted when its shortest
// round-trip decimal form has at most two decimals). Amounts are bounded
// by kMaxMoneyMinor so every value converts to a double and back exactly.
//
// Thread-safety: pure functions.
#ifndef STOCKPILE_DOMAIN_COMMON_MONEY_H_
#define STOCKPILE_DOMAIN_COMMON_MONEY_H_

#include <boost/json/value.hpp>
#include <cstdint>
#include <string_view>

#include "core/result.h"

namespace stockpile::domain::common {

// 10^15 minor units (10 trillion in major units): below 2^53.
inline constexpr int64_t kMaxMoneyMinor = 1'000'000'000'000'000;
// Quantities are bounded so that sums over many lines cannot overflow.
inline constexpr int64_t kMaxQuantity = 1'000'000'000'000;

// A JSON number with at most 2 decimals as minor units (may be negative).
// InvalidArgument naming `field` for a non-number, more decimals, or a
// magnitude over kMaxMoneyMinor.
core::Result<int64_t> ParseMoney(const boost::json::value& v,
                                 std::string_view field);

// Minor units as a JSON number: an integer when whole (12.00 -> 12), else
// the double nearest to the exact decimal (which ParseMoney reads back as
// the same minor units).
boost::json::value MoneyToJson(int64_t minor);

// A JSON integer (not 2.0) within +-kMaxQuantity. InvalidArgument naming
// `field` otherwise. The sign is the caller's to check.
core::Result<int64_t> ParseQuantity(const boost::json::value& v,
                                    std::string_view field);

// True for an active ISO 4217 alphabetic code ("EUR", "USD", ...). Case
// sensitive: codes are upper case.
bool IsIso4217(std::string_view code);

}  // namespace stockpile::domain::common

#endif  // STOCKPILE_DOMAIN_COMMON_MONEY_H_
