// libFuzzer target: HTTP request-target and query parsing (api/uri.h), the
// first thing the server does with a client's request line.
//
// Properties checked, beyond "no crash, no sanitizer report":
//   - path + '?' + query is a prefix of the target (nothing invented);
//   - decoding never grows the text, and text without '%' or '+' decodes
//     to itself when it is valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/uri.h"
#include "core/check.h"

using stockpile::api::ParseQueryString;
using stockpile::api::PercentDecode;
using stockpile::api::SplitRequestTarget;
using stockpile::api::SplitTarget;
using stockpile::core::Result;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view target(reinterpret_cast<const char*>(data), size);
  const SplitTarget split = SplitRequestTarget(target);
  CHECK(target.substr(0, split.path.size()) == split.path)
      << "path is not the start of the target";
  if (!split.query.empty()) {
    CHECK(split.path.size() + 1 + split.query.size() <= target.size() &&
          target.substr(split.path.size() + 1, split.query.size()) ==
              split.query)
        << "query is not what follows the path's '?'";
  }

  (void)ParseQueryString(split.query);
  for (const bool plus_is_space : {false, true}) {
    Result<std::string> decoded = PercentDecode(split.path, plus_is_space);
    if (!decoded.ok()) continue;
    CHECK(decoded->size() <= split.path.size()) << "decoding grew the text";
    if (split.path.find_first_of("%+") == std::string_view::npos) {
      CHECK(*decoded == split.path) << "plain text changed when decoded";
    }
  }
  return 0;
}
