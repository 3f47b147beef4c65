#include "api/query_params.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <string>

#include "core/status_macros.h"

namespace stockpile::api {

core::Result<int64_t> IntQuery(const Request& req, std::string_view name,
                               int64_t fallback, int64_t max) {
  std::optional<std::string_view> text = req.Query(name);
  if (!text) return fallback;
  int64_t value = 0;
  auto [end, ec] =
      std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size() || value < 0 ||
      value > max) {
    return core::InvalidArgumentError("query parameter '" + std::string(name) +
                                      "' must be an integer from 0 to " +
                                      std::to_string(max));
  }
  return value;
}

core::Result<size_t> LimitQuery(const Request& req, size_t fallback,
                                size_t max) {
  ASSIGN_OR_RETURN(int64_t limit,
                   IntQuery(req, "limit", 0, static_cast<int64_t>(max)));
  return limit == 0 ? fallback : static_cast<size_t>(limit);
}

Response PageResponse(boost::json::array items, const std::string& next) {
  boost::json::object out{{"items", std::move(items)}};
  if (next.empty()) {
    out["next"] = nullptr;
  } else {
    out["next"] = next;
  }
  return Response::Json(200, boost::json::serialize(out));
}

Response PageResponse(boost::json::array items, int64_t next) {
  boost::json::object out{{"items", std::move(items)}};
  if (next == 0) {
    out["next"] = nullptr;
  } else {
    out["next"] = next;
  }
  return Response::Json(200, boost::json::serialize(out));
}

}  // namespace stockpile::api
