#include "api/dispatcher.h"

#include <gtest/gtest.h>

#include <mutex>
#include <stdexcept>
#include <vector>

#include "api/jwt_signer.h"
#include "core/uuid.h"

namespace stockpile::api {
namespace {

using std::chrono::seconds;

struct Recorded {
  std::string method, route, correlation_id;
  int status;
};

class RecordingObserver : public RequestObserver {
 public:
  void OnRequest(const RequestRecord& r) override {
    std::lock_guard<std::mutex> lock(mu_);
    records.push_back({std::string(r.method), std::string(r.route),
                       std::string(r.correlation_id), r.status});
  }
  std::mutex mu_;
  std::vector<Recorded> records;  // guarded by mu_
};

class DispatcherTest : public ::testing::Test {
 protected:
  DispatcherTest()
      : verifier_(*JwtVerifier::ForHs256Secret("k", clock_)),
        signer_(*JwtSigner::ForHs256Secret("k", clock_)),
        dispatcher_(router_, verifier_.get(), clock_, &observer_) {
    router_.AddPublic("GET", "/health", [](const Request& req) {
      return Response::Text(200, req.correlation_id);
    });
    router_.Add("GET", "/api/v1/items/{id}", Permission::kRead,
                [this](const Request& req) {
                  seen_ = req;
                  return Response::Text(200, "ok");
                });
    router_.Add("POST", "/api/v1/rebuild", Permission::kOperations,
                [](const Request&) { return Response::NoContent(); });
    router_.AddPublic("GET", "/boom", [](const Request&) -> Response {
      throw std::runtime_error("secret internals");
    });
  }

  Response Send(std::string method, std::string target,
                std::optional<Role> role = std::nullopt,
                std::string correlation = "") {
    Request req;
    req.method = std::move(method);
    req.target = std::move(target);
    if (role.has_value()) {
      req.headers.Add(
          "Authorization",
          "Bearer " + *signer_->Sign({"u-1", "acme", *role}, seconds(60)));
    }
    if (!correlation.empty()) req.headers.Add("X-Correlation-Id", correlation);
    return dispatcher_.Dispatch(req);
  }

  core::ManualClock clock_;
  Router router_;
  std::unique_ptr<JwtVerifier> verifier_;
  std::unique_ptr<JwtSigner> signer_;
  RecordingObserver observer_;
  Dispatcher dispatcher_;
  Request seen_;
};

TEST_F(DispatcherTest, HandlerSeesDecodedParamsQueryAndPrincipal) {
  Response r =
      Send("GET", "/api/v1/items/a%20b?after=5&type=order.%2A", Role::kViewer);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(seen_.PathParam("id"), "a b");
  EXPECT_EQ(seen_.Query("after"), "5");
  EXPECT_EQ(seen_.Query("type"), "order.*");
  EXPECT_EQ(seen_.Query("missing"), std::nullopt);
  EXPECT_EQ(seen_.route, "/api/v1/items/{id}");
  EXPECT_EQ(seen_.caller(), (Principal{"u-1", "acme", Role::kViewer}));
}

TEST_F(DispatcherTest, MissingTokenIs401WithChallenge) {
  Response r = Send("GET", "/api/v1/items/1");
  EXPECT_EQ(r.status, 401);
  EXPECT_TRUE(r.headers.Get("WWW-Authenticate")->starts_with("Bearer"));
  EXPECT_EQ(r.headers.Get("Content-Type"), "application/problem+json");
}

TEST_F(DispatcherTest, ExpiredTokenIs401) {
  Request req;
  req.method = "GET";
  req.target = "/api/v1/items/1";
  req.headers.Add(
      "Authorization",
      "Bearer " + *signer_->Sign({"u", "acme", Role::kAdmin}, seconds(1)));
  clock_.Advance(std::chrono::minutes(5));
  Response r = dispatcher_.Dispatch(req);
  EXPECT_EQ(r.status, 401);
  EXPECT_NE(r.body.find("expired"), std::string::npos);
  EXPECT_NE(r.headers.Get("WWW-Authenticate")->find("invalid_token"),
            std::string::npos);
}

TEST_F(DispatcherTest, RoleWithoutPermissionIs403) {
  EXPECT_EQ(Send("POST", "/api/v1/rebuild", Role::kManager).status, 403);
  EXPECT_EQ(Send("POST", "/api/v1/rebuild", Role::kAdmin).status, 204);
}

TEST_F(DispatcherTest, NotFoundAndMethodNotAllowedAreProblems) {
  Response missing = Send("GET", "/api/v1/none");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.headers.Get("Content-Type"), "application/problem+json");
  Response wrong = Send("PUT", "/health");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.headers.Get("Allow"), "GET");
}

TEST_F(DispatcherTest, BadQueryEncodingIs400) {
  EXPECT_EQ(Send("GET", "/api/v1/items/1?x=%zz", Role::kViewer).status, 400);
}

TEST_F(DispatcherTest, ThrowingHandlerIs500WithoutInternals) {
  Response r = Send("GET", "/boom");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("secret internals"), std::string::npos);
}

TEST_F(DispatcherTest, CorrelationIdIsKeptWhenValidElseGenerated) {
  Response kept = Send("GET", "/health", std::nullopt, "abc-123");
  EXPECT_EQ(kept.headers.Get("X-Correlation-Id"), "abc-123");
  EXPECT_EQ(kept.body, "abc-123");  // the handler sees it too

  for (const std::string& bad :
       {std::string(129, 'a'), std::string("has space"),
        std::string("tab\there")}) {
    Response replaced = Send("GET", "/health", std::nullopt, bad);
    const std::string_view id = *replaced.headers.Get("X-Correlation-Id");
    EXPECT_NE(id, bad);
    EXPECT_TRUE(core::IsUuid(id)) << id;
  }
  Response generated = Send("GET", "/nowhere");
  EXPECT_TRUE(core::IsUuid(*generated.headers.Get("X-Correlation-Id")));
}

TEST_F(DispatcherTest, ObserverGetsRouteTemplateNotRawPath) {
  Send("GET", "/api/v1/items/42", Role::kViewer, "c-1");
  Send("GET", "/api/v1/nothing/42");
  Send("BREW", "/health");
  std::lock_guard<std::mutex> lock(observer_.mu_);
  ASSERT_EQ(observer_.records.size(), 3u);
  EXPECT_EQ(observer_.records[0].route, "/api/v1/items/{id}");
  EXPECT_EQ(observer_.records[0].method, "GET");
  EXPECT_EQ(observer_.records[0].status, 200);
  EXPECT_EQ(observer_.records[0].correlation_id, "c-1");
  EXPECT_EQ(observer_.records[1].route, kUnmatchedRoute);
  EXPECT_EQ(observer_.records[1].status, 404);
  EXPECT_EQ(observer_.records[2].method, "OTHER");
}

TEST(PermissionTest, RoleTableMatchesTheDesign) {
  using P = Permission;
  const std::vector<std::pair<Role, std::vector<P>>> allowed = {
      {Role::kAdmin,
       {P::kRead, P::kClerkWrite, P::kBusinessWrite, P::kApprove,
        P::kOperations}},
      {Role::kManager,
       {P::kRead, P::kClerkWrite, P::kBusinessWrite, P::kApprove}},
      {Role::kClerk, {P::kRead, P::kClerkWrite}},
      {Role::kViewer, {P::kRead}},
  };
  for (const auto& [role, permissions] : allowed) {
    for (P p : {P::kRead, P::kClerkWrite, P::kBusinessWrite, P::kApprove,
                P::kOperations}) {
      const bool expected = std::find(permissions.begin(), permissions.end(),
                                      p) != permissions.end();
      EXPECT_EQ(RoleHasPermission(role, p), expected)
          << RoleName(role) << " " << PermissionName(p);
    }
  }
  EXPECT_EQ(*ParseRole("viewer"), Role::kViewer);
  EXPECT_FALSE(ParseRole("Admin").ok());
}

}  // namespace
}  // namespace stockpile::api
