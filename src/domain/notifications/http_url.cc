#include "domain/notifications/http_url.h"

#include <charconv>

namespace stockpile::domain::notifications {

core::Result<HttpUrl> ParseHttpUrl(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return core::InvalidArgumentError("url '" + std::string(text) +
                                      "': " + std::string(why));
  };
  if (text.size() > kMaxUrlLength) return bad("longer than 2048 characters");
  for (const char c : text) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      return bad("spaces and control characters are not allowed");
    }
  }
  constexpr std::string_view kScheme = "http://";
  if (text.size() < kScheme.size() ||
      !std::equal(kScheme.begin(), kScheme.end(), text.begin(),
                  [](char a, char b) { return a == std::tolower(b); })) {
    return bad("only http:// URLs are supported");
  }
  std::string_view rest = text.substr(kScheme.size());
  if (rest.find('#') != std::string_view::npos) {
    return bad("a fragment (#...) is not allowed");
  }
  const size_t slash = rest.find_first_of("/?");
  const std::string_view authority = rest.substr(0, slash);
  HttpUrl url;
  url.target =
      slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (url.target.front() == '?') url.target.insert(0, "/");
  if (authority.find('@') != std::string_view::npos) {
    return bad("user info (user@host) is not allowed");
  }
  std::string_view host = authority;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad("unclosed '[' in host");
    host = authority.substr(0, close + 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad("junk after the IPv6 address");
      port = after.substr(1);
    }
  } else if (const size_t colon = authority.rfind(':');
             colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return bad("no host");
  for (const char c : host) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '.' ||
                    c == '-' || c == '_' || c == '[' || c == ']' || c == ':';
    if (!ok) return bad("the host may contain only letters, digits and .-_");
  }
  url.host = std::string(host);
  if (!port.empty()) {
    unsigned value = 0;
    auto [ptr, ec] =
        std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || ptr != port.data() + port.size() || value == 0 ||
        value > 65535) {
      return bad("the port must be a number from 1 to 65535");
    }
    url.port = static_cast<uint16_t>(value);
  } else if (authority.ends_with(':')) {
    return bad("empty port");
  }
  return url;
}

}  // namespace stockpile::domain::notifications
