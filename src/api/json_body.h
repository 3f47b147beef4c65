// Reading JSON request bodies within core::CodecLimits (size, nesting depth,
// UTF-8). Failures are decoding errors: answer them with
// ErrorResponse(status, req, ErrorStage::kDecoding), which gives 400 (or 413
// for a body over max_bytes) with a detail naming what is wrong, e.g.
// "request body: JSON nesting deeper than 32 levels".
//
//   Result<boost::json::object> body = ParseJsonObjectBody(req);
//   if (!body.ok()) return ErrorResponse(body.status(), req, kDecoding);
//
// Thread-safety: free functions.
#ifndef STOCKPILE_API_JSON_BODY_H_
#define STOCKPILE_API_JSON_BODY_H_

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "api/request.h"
#include "core/event_codec.h"
#include "core/result.h"

namespace stockpile::api {

// Any JSON document. An empty body is an error.
core::Result<boost::json::value> ParseJsonBody(
    const Request& request, const core::CodecLimits& limits = {});

// A JSON object (what every Stockpile POST/PUT/PATCH takes).
core::Result<boost::json::object> ParseJsonObjectBody(
    const Request& request, const core::CodecLimits& limits = {});

}  // namespace stockpile::api

#endif  // STOCKPILE_API_JSON_BODY_H_
