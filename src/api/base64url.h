// Base64url without padding (RFC 4648 §5), the encoding of JWT segments.
#ifndef STOCKPILE_API_BASE64URL_H_
#define STOCKPILE_API_BASE64URL_H_

#include <string>
#include <string_view>

#include "core/result.h"

namespace stockpile::api {

std::string Base64UrlEncode(std::string_view bytes);

// Accepts input with or without '=' padding; anything outside the url-safe
// alphabet is InvalidArgument.
core::Result<std::string> Base64UrlDecode(std::string_view text);

}  // namespace stockpile::api

#endif  // STOCKPILE_API_BASE64URL_H_
