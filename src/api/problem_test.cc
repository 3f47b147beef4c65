#include "api/problem.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace stockpile::api {
namespace {

TEST(ProblemTest, JsonHasEveryRfc7807Member) {
  const std::string text = ProblemJson(
      MakeProblem(404, "order 'o-1' does not exist", "/api/v1/orders/o-1"));
  const boost::json::object o = boost::json::parse(text).as_object();
  EXPECT_EQ(o.at("type"), "urn:stockpile:problem:not-found");
  EXPECT_EQ(o.at("title"), "Not Found");
  EXPECT_EQ(o.at("status"), 404);
  EXPECT_EQ(o.at("detail"), "order 'o-1' does not exist");
  EXPECT_EQ(o.at("instance"), "/api/v1/orders/o-1");
}

TEST(ProblemTest, EmptyInstanceIsOmitted) {
  const boost::json::object o =
      boost::json::parse(ProblemJson(MakeProblem(503, "busy"))).as_object();
  EXPECT_FALSE(o.contains("instance"));
}

TEST(ProblemTest, ClientBytesThatAreNotUtf8StillGiveValidJson) {
  const std::string text =
      ProblemJson(MakeProblem(400, "bad id '\xff\xfe'", "/x/\xc3"));
  boost::system::error_code ec;
  boost::json::parse(text, ec);
  EXPECT_FALSE(ec) << text;
}

TEST(ProblemTest, ResponseUsesProblemContentType) {
  Response r = ProblemResponse(MakeProblem(422, "bad quantity"));
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.headers.Get("content-type"), "application/problem+json");
}

}  // namespace
}  // namespace stockpile::api
