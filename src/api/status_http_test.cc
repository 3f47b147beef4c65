#include "api/status_http.h"

#include <gtest/gtest.h>

#include "api/request.h"

namespace stockpile::api {
namespace {

using core::StatusCode;

struct Expected {
  StatusCode code;
  int decoding;
  int processing;
};

// Every canonical code, in both stages. A new StatusCode must be added
// here (the loop below checks the table covers them all).
constexpr Expected kTable[] = {
    {StatusCode::kOk, 200, 200},
    {StatusCode::kInvalidArgument, 400, 422},
    {StatusCode::kNotFound, 404, 404},
    {StatusCode::kConflict, 409, 409},
    {StatusCode::kAlreadyExists, 409, 409},
    {StatusCode::kFailedPrecondition, 409, 409},
    {StatusCode::kUnauthenticated, 401, 401},
    {StatusCode::kPermissionDenied, 403, 403},
    {StatusCode::kResourceExhausted, 413, 429},
    {StatusCode::kUnavailable, 503, 503},
    {StatusCode::kDeadlineExceeded, 504, 504},
    {StatusCode::kCancelled, 503, 503},
    {StatusCode::kInternal, 500, 500},
};

TEST(StatusHttpTest, EveryCodeMapsInBothStages) {
  for (const Expected& e : kTable) {
    EXPECT_EQ(HttpStatusFor(e.code, ErrorStage::kDecoding), e.decoding)
        << core::StatusCodeName(e.code);
    EXPECT_EQ(HttpStatusFor(e.code, ErrorStage::kProcessing), e.processing)
        << core::StatusCodeName(e.code);
  }
  EXPECT_EQ(std::size(kTable), static_cast<size_t>(StatusCode::kInternal) + 1)
      << "a StatusCode is missing from the table";
}

TEST(StatusHttpTest, ValidationErrorIs422ProblemWithTheMessage) {
  Request req;
  req.path = "/api/v1/orders";
  Response r =
      ErrorResponse(core::InvalidArgumentError("quantity must be > 0"), req);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.headers.Get("Content-Type"), "application/problem+json");
  EXPECT_NE(r.body.find("\"detail\":\"quantity must be > 0\""),
            std::string::npos);
  EXPECT_NE(r.body.find("\"instance\":\"/api/v1/orders\""), std::string::npos);
}

TEST(StatusHttpTest, UnauthenticatedCarriesBearerChallenge) {
  Response r = ErrorResponse(core::UnauthenticatedError("no token"), "/x");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.headers.Get("WWW-Authenticate"), "Bearer");
}

TEST(StatusHttpTest, UnavailableCarriesRetryAfter) {
  Response r = ErrorResponse(core::UnavailableError("store down"), "/x");
  EXPECT_EQ(r.status, 503);
  EXPECT_TRUE(r.headers.Has("Retry-After"));
}

TEST(StatusHttpTest, InternalErrorHidesItsMessage) {
  Response r = ErrorResponse(
      core::InternalError("sqlite3_step: disk I/O at 0x7f"), "/x");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("sqlite3_step"), std::string::npos);
}

}  // namespace
}  // namespace stockpile::api
