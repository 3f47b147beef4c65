// Response: what a handler returns — a status, headers and either a body
// string or a StreamStarter for a streamed body (api/response_stream.h).
// The server adds Content-Length (or chunked framing for streams),
// Connection and X-Correlation-Id; handlers set Content-Type and anything
// resource specific (Location, ETag, ...).
//
//   return Response::Json(201, body_text).WithHeader("Location", url);
//
// Error responses are built with api/problem.h and api/status_http.h.
//
// Thread-safety: a value type; not synchronized.
#ifndef STOCKPILE_API_RESPONSE_H_
#define STOCKPILE_API_RESPONSE_H_

#include <string>
#include <string_view>

#include "api/headers.h"
#include "api/response_stream.h"

namespace stockpile::api {

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  // When set, `body` is ignored and the body is streamed (chunked).
  StreamStarter stream;

  // `json` must already be JSON text; Content-Type application/json.
  static Response Json(int status, std::string json);
  static Response Text(int status, std::string text,
                       std::string_view content_type = "text/plain");
  // 204 without a body.
  static Response NoContent();
  static Response Stream(int status, std::string_view content_type,
                         StreamStarter starter);

  // Adds a header and returns *this, for chaining on temporaries.
  Response&& WithHeader(std::string_view name, std::string_view value) &&;
};

}  // namespace stockpile::api

#endif  // STOCKPILE_API_RESPONSE_H_
