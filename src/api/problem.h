// RFC 7807 problem details: every error Stockpile's HTTP API returns is an
// `application/problem+json` body
//
//   {"type":"urn:stockpile:problem:not-found","title":"Not Found",
//    "status":404,"detail":"order 'o-1' does not
//    exist","instance":"/api/v1/orders/o-1"}
//
// `type` is a URN naming the kind of problem (stable, for programs), `title`
// the HTTP reason phrase, `detail` a sentence a person can act on,
// `instance` the request path. Which Status becomes which HTTP status is
// decided in api/status_http.h, not here.
//
// Thread-safety: free functions on values.
#ifndef STOCKPILE_API_PROBLEM_H_
#define STOCKPILE_API_PROBLEM_H_

#include <string>
#include <string_view>

#include "api/response.h"

namespace stockpile::api {

inline constexpr std::string_view kProblemContentType =
    "application/problem+json";

struct Problem {
  std::string type;   // URN, e.g. "urn:stockpile:problem:validation-failed"
  std::string title;  // HTTP reason phrase
  int status = 500;
  std::string detail;
  std::string instance;  // may be empty (then omitted)
};

// A Problem for `http_status` with the standard type and title for it.
Problem MakeProblem(int http_status, std::string detail,
                    std::string instance = "");

// The reason phrase of an HTTP status ("Unprocessable Content"), or
// "Unknown" for codes Stockpile never sends.
std::string_view HttpReasonPhrase(int http_status);

// The JSON text of `problem`.
std::string ProblemJson(const Problem& problem);

// A Response carrying `problem` with Content-Type application/problem+json.
Response ProblemResponse(const Problem& problem);

}  // namespace stockpile::api

#endif  // STOCKPILE_API_PROBLEM_H_
