// Request-target helpers (RFC 3986): split "path?query", percent-decode, and
// parse "a=1&b=x+y" query strings. Decoded text must be valid UTF-8;
// anything else is InvalidArgument (a 400 for the client).
//
// Thread-safety: free functions.
#ifndef STOCKPILE_API_URI_H_
#define STOCKPILE_API_URI_H_

#include <string>
#include <string_view>

#include "api/request.h"
#include "core/result.h"

namespace stockpile::api {

struct SplitTarget {
  std::string_view path;   // up to '?', or all of the target
  std::string_view query;  // after '?', without any '#fragment'
};
SplitTarget SplitRequestTarget(std::string_view target);

// Decodes %XX escapes; when `plus_is_space`, '+' becomes ' ' (query
// strings). A bad escape or a result that is not UTF-8 is InvalidArgument.
core::Result<std::string> PercentDecode(std::string_view text,
                                        bool plus_is_space = false);

// "a=1&b=&c" -> {a:"1", b:"", c:""}; empty pieces are skipped.
core::Result<Params> ParseQueryString(std::string_view query);

}  // namespace stockpile::api

#endif  // STOCKPILE_API_URI_H_
