// Field-by-field reading of a JSON request body. Each error is an
// InvalidArgument naming the field ("'quantity' must be an integer"), which
// ErrorResponse answers with 422.
//
//   ASSIGN_OR_RETURN(std::string sku, RequiredString(body, "sku"));
//   ASSIGN_OR_RETURN(std::optional<int64_t> rp,
//                    OptionalQuantity(body, "reorderPoint"));
//
// A field present as JSON null counts as absent.
//
// Thread-safety: pure functions.
#ifndef STOCKPILE_API_BODY_FIELDS_H_
#define STOCKPILE_API_BODY_FIELDS_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace stockpile::api {

// A non-empty string.
core::Result<std::string> RequiredString(const boost::json::object& body,
                                         std::string_view field);
core::Result<std::optional<std::string>> OptionalString(
    const boost::json::object& body, std::string_view field);
// An integer within the domain's quantity bounds (the sign is the caller's).
core::Result<int64_t> RequiredQuantity(const boost::json::object& body,
                                       std::string_view field);
core::Result<std::optional<int64_t>> OptionalQuantity(
    const boost::json::object& body, std::string_view field);
// Money: a number with at most 2 decimals, as minor units.
core::Result<std::optional<int64_t>> OptionalMoney(
    const boost::json::object& body, std::string_view field);
core::Result<std::optional<bool>> OptionalBool(const boost::json::object& body,
                                               std::string_view field);

}  // namespace stockpile::api

#endif  // STOCKPILE_API_BODY_FIELDS_H_
