// Typed query parameters with errors that name the parameter; answer them
// with ErrorResponse(status, req, ErrorStage::kDecoding) (400). And the
// cursor page every list answers with (DESIGN.md §7): {items, next}.
//
//   ASSIGN_OR_RETURN(int64_t limit, IntQuery(req, "limit", 50, 1000));
//   return PageResponse(std::move(items), next_key);
//
// Thread-safety: pure functions.
#ifndef STOCKPILE_API_QUERY_PARAMS_H_
#define STOCKPILE_API_QUERY_PARAMS_H_

#include <boost/json/array.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/request.h"
#include "api/response.h"
#include "core/result.h"

namespace stockpile::api {

// The integer query parameter `name` in [0, max], or `fallback` when absent.
core::Result<int64_t> IntQuery(const Request& req, std::string_view name,
                               int64_t fallback, int64_t max);

// A page size: `limit` in [1, max], `fallback` when absent (0 also means
// the fallback).
core::Result<size_t> LimitQuery(const Request& req, size_t fallback,
                                size_t max);

// 200 {items, next}; `next` is JSON null when empty / 0.
Response PageResponse(boost::json::array items, const std::string& next);
Response PageResponse(boost::json::array items, int64_t next);

}  // namespace stockpile::api

#endif  // STOCKPILE_API_QUERY_PARAMS_H_
