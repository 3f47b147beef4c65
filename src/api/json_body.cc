#include "api/json_body.h"

#include <utility>

#include "core/status_macros.h"

namespace stockpile::api {

core::Result<boost::json::value> ParseJsonBody(
    const Request& request, const core::CodecLimits& limits) {
  if (request.body.find_first_not_of(" \t\r\n") == std::string::npos) {
    return core::InvalidArgumentError(
        "request body is empty; expected a JSON document");
  }
  core::Result<boost::json::value> parsed =
      core::ParseJson(request.body, limits);
  if (!parsed.ok()) return parsed.status().WithContext("request body");
  return parsed;
}

core::Result<boost::json::object> ParseJsonObjectBody(
    const Request& request, const core::CodecLimits& limits) {
  ASSIGN_OR_RETURN(boost::json::value value, ParseJsonBody(request, limits));
  if (!value.is_object()) {
    return core::InvalidArgumentError("request body must be a JSON object");
  }
  return std::move(value.get_object());
}

}  // namespace stockpile::api
