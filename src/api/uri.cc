#include "api/uri.h"

#include "core/json_text.h"
#include "core/status_macros.h"

namespace stockpile::api {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

SplitTarget SplitRequestTarget(std::string_view target) {
  const size_t hash = target.find('#');
  if (hash != std::string_view::npos) target = target.substr(0, hash);
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return {target, {}};
  return {target.substr(0, q), target.substr(q + 1)};
}

core::Result<std::string> PercentDecode(std::string_view text,
                                        bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      const bool complete = i + 2 < text.size();
      const int hi = complete ? HexValue(text[i + 1]) : -1;
      const int lo = complete ? HexValue(text[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return core::InvalidArgumentError("bad percent-encoding in '" +
                                          std::string(text) + "'");
      }
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  if (core::FindInvalidUtf8(out) != std::string::npos) {
    return core::InvalidArgumentError("'" + std::string(text) +
                                      "' does not decode to UTF-8 text");
  }
  return out;
}

core::Result<Params> ParseQueryString(std::string_view query) {
  Params params;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    std::string_view piece = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view()
                                          : query.substr(amp + 1);
    if (piece.empty()) continue;
    const size_t eq = piece.find('=');
    std::string_view key = piece.substr(0, eq);
    std::string_view value = eq == std::string_view::npos
                                 ? std::string_view()
                                 : piece.substr(eq + 1);
    ASSIGN_OR_RETURN(std::string k, PercentDecode(key, true));
    ASSIGN_OR_RETURN(std::string v, PercentDecode(value, true));
    params.emplace_back(std::move(k), std::move(v));
  }
  return params;
}

}  // namespace stockpile::api
