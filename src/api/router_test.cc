#include "api/router.h"

#include <gtest/gtest.h>

namespace stockpile::api {
namespace {

Handler Named(std::string name) {
  return [name](const Request&) { return Response::Text(200, name); };
}

std::string Call(const RouteMatch& m) { return (*m.handler)(Request{}).body; }

TEST(RouterTest, MatchesTemplatesAndDecodesParameters) {
  Router router;
  router.Add("GET", "/api/v1/orders/{id}", Permission::kRead, Named("get"));
  router.Add("POST", "/api/v1/orders/{id}/cancel", Permission::kClerkWrite,
             Named("cancel"));
  auto m = router.Match("GET", "/api/v1/orders/o%2F1");
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->outcome, RouteMatch::Outcome::kFound);
  EXPECT_EQ(Call(*m), "get");
  EXPECT_EQ(m->route->path_template, "/api/v1/orders/{id}");
  EXPECT_EQ(m->route->permission, Permission::kRead);
  const Params expected = {{"id", "o/1"}};
  EXPECT_EQ(m->path_params, expected);

  auto cancel = router.Match("POST", "/api/v1/orders/o-1/cancel");
  ASSERT_TRUE(cancel.ok());
  EXPECT_EQ(Call(*cancel), "cancel");
}

TEST(RouterTest, LiteralSegmentBeatsParameter) {
  Router router;
  router.Add("GET", "/api/v1/events/{id}", Permission::kRead, Named("one"));
  router.Add("GET", "/api/v1/events/stream", Permission::kRead,
             Named("stream"));
  EXPECT_EQ(Call(*router.Match("GET", "/api/v1/events/stream")), "stream");
  EXPECT_EQ(Call(*router.Match("GET", "/api/v1/events/e-1")), "one");
}

TEST(RouterTest, UnknownPathIsNotFoundAndOtherMethodIsNotAllowed) {
  Router router;
  router.Add("GET", "/api/v1/products", Permission::kRead, Named("list"));
  router.Add("POST", "/api/v1/products", Permission::kBusinessWrite,
             Named("create"));
  EXPECT_EQ(router.Match("GET", "/api/v1/nope")->outcome,
            RouteMatch::Outcome::kNotFound);
  EXPECT_EQ(router.Match("GET", "/api/v1/products/")->outcome,
            RouteMatch::Outcome::kNotFound);
  EXPECT_EQ(router.Match("GET", "/api/v1//products")->outcome,
            RouteMatch::Outcome::kNotFound);
  auto m = router.Match("DELETE", "/api/v1/products");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->outcome, RouteMatch::Outcome::kMethodNotAllowed);
  EXPECT_EQ(m->allowed_methods, (std::vector<std::string>{"GET", "POST"}));
}

TEST(RouterTest, EmptyParameterSegmentDoesNotMatch) {
  Router router;
  router.Add("GET", "/api/v1/orders/{id}", Permission::kRead, Named("get"));
  EXPECT_EQ(router.Match("GET", "/api/v1/orders/")->outcome,
            RouteMatch::Outcome::kNotFound);
}

TEST(RouterTest, BadEscapeInParameterIsAnError) {
  Router router;
  router.Add("GET", "/api/v1/orders/{id}", Permission::kRead, Named("get"));
  EXPECT_FALSE(router.Match("GET", "/api/v1/orders/%zz").ok());
}

TEST(RouterTest, ListsRoutesInRegistrationOrder) {
  Router router;
  router.AddPublic("GET", "/health", Named("health"));
  router.Add("POST", "/api/v1/orders", Permission::kClerkWrite, Named("c"));
  std::vector<RouteInfo> routes = router.Routes();
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[0].path_template, "/health");
  EXPECT_FALSE(routes[0].permission.has_value());
  EXPECT_EQ(routes[1].method, "POST");
  EXPECT_EQ(routes[1].permission, Permission::kClerkWrite);
}

TEST(RouterDeathTest, DuplicateRouteIsAProgrammingError) {
  Router router;
  router.AddPublic("GET", "/health", Named("a"));
  EXPECT_DEATH(router.AddPublic("GET", "/health", Named("b")),
               "duplicate route");
}

}  // namespace
}  // namespace stockpile::api
