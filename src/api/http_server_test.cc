#include "api/http_server.h"

#include <gtest/gtest.h>

#include <future>
#include <string>
#include <thread>

#include "api/json_body.h"
#include "api/jwt_signer.h"
#include "api/jwt_verifier.h"
#include "api/router.h"
#include "api/status_http.h"
#include "api/system_routes.h"
#include "api/test_http_client.h"
#include "core/json_text.h"
#include "core/uuid.h"

namespace stockpile::api {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr std::string_view kSecret = "server-test-secret";

// A server with a few routes standing in for the resource handlers.
class TestServer {
 public:
  explicit TestServer(HttpServerOptions options = {}) {
    options.port = 0;
    if (options.threads == 0) options.threads = 2;
    verifier_ = *JwtVerifier::ForHs256Secret(std::string(kSecret), clock_);
    signer_ = *JwtSigner::ForHs256Secret(std::string(kSecret), clock_);
    AddSystemRoutes(router_, {.openapi_json = "{}"});
    router_.Add("POST", "/api/v1/echo", Permission::kClerkWrite,
                [](const Request& req) {
                  auto body = ParseJsonObjectBody(req);
                  if (!body.ok()) {
                    return ErrorResponse(body.status(), req,
                                         ErrorStage::kDecoding);
                  }
                  std::string out;
                  core::AppendJsonObject(*body, out);
                  return Response::Json(200, out);
                });
    router_.Add("GET", "/api/v1/things/{id}", Permission::kRead,
                [](const Request& req) {
                  return Response::Text(200, std::string(req.PathParam("id")) +
                                                 "@" + req.caller().tenant);
                });
    router_.Add("GET", "/api/v1/stream", Permission::kRead, [](const Request&) {
      return Response::Stream(
          200, "text/event-stream",
          [](const std::shared_ptr<ResponseStream>& out) {
            for (int i = 1; i <= 3; ++i) {
              out->Write("data: {\"n\":" + std::to_string(i) + "}\n\n");
            }
            out->Close();
          });
    });
    router_.AddPublic("GET", "/slow", [this](const Request&) {
      started_.set_value();
      // Finishes only once Stop has begun, so the request is in flight
      // while the server stops (bounded in case it never does).
      for (int i = 0; i < 1000 && server_->accepting(); ++i) {
        std::this_thread::sleep_for(milliseconds(10));
      }
      return Response::Text(200, "done");
    });
    router_.AddPublic("POST", "/blocked", [this](const Request&) {
      blocked_started_.set_value();
      // Held until the test opens the gate (bounded so that a failing test
      // still ends).
      gate_.wait_for(seconds(30));
      return Response::Text(200, "released");
    });
    dispatcher_ =
        std::make_unique<Dispatcher>(router_, verifier_.get(), clock_);
    auto server = HttpServer::Start(options, *dispatcher_);
    EXPECT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
  }

  HttpServer& server() { return *server_; }
  uint16_t port() const { return server_->port(); }
  std::future<void> started() { return started_.get_future(); }
  std::future<void> blocked_started() { return blocked_started_.get_future(); }
  void OpenGate() { gate_promise_.set_value(); }

  Headers Auth(Role role) const {
    Headers h;
    h.Add("Authorization",
          "Bearer " + *signer_->Sign({"u-1", "acme", role}, seconds(3600)));
    return h;
  }

 private:
  core::SystemClock clock_;
  Router router_;
  std::unique_ptr<JwtVerifier> verifier_;
  std::unique_ptr<JwtSigner> signer_;
  std::unique_ptr<Dispatcher> dispatcher_;
  std::promise<void> started_;
  std::promise<void> blocked_started_;
  std::promise<void> gate_promise_;
  std::shared_future<void> gate_ = gate_promise_.get_future().share();
  std::unique_ptr<HttpServer> server_;  // last: stopped first
};

bool IsProblem(const TestResponse& r, int status) {
  return r.status == status &&
         r.headers.Get("Content-Type") == "application/problem+json" &&
         r.body.find("\"status\":" + std::to_string(status)) !=
             std::string::npos;
}

TEST(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  TestServer ts;
  TestHttpClient client(ts.port());
  ASSERT_TRUE(client.connect_status().ok());
  for (int i = 0; i < 3; ++i) {
    auto r = client.Send("GET", "/health");
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "{\"status\":\"ok\"}");
    EXPECT_TRUE(r->keep_alive);
  }
  EXPECT_EQ(ts.server().connections(), 1u);
}

TEST(HttpServerTest, FiveMegabyteBodyGets413Problem) {
  TestServer ts;
  TestHttpClient client(ts.port());
  auto r = client.Send("POST", "/api/v1/echo", std::string(5 << 20, 'x'),
                       ts.Auth(Role::kClerk));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(IsProblem(*r, 413)) << r->body;
  EXPECT_FALSE(r->keep_alive);
}

TEST(HttpServerTest, JsonBodyErrorsAre400ProblemsWithDetail) {
  TestServer ts;
  TestHttpClient client(ts.port());
  const Headers auth = ts.Auth(Role::kClerk);
  auto ok = client.Send("POST", "/api/v1/echo", "{\"a\":1}", auth);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->body, "{\"a\":1}");

  auto malformed = client.Send("POST", "/api/v1/echo", "{\"a\":", auth);
  ASSERT_TRUE(malformed.ok());
  EXPECT_TRUE(IsProblem(*malformed, 400)) << malformed->body;
  EXPECT_NE(malformed->body.find("malformed JSON"), std::string::npos);

  auto deep = client.Send("POST", "/api/v1/echo",
                          std::string(100, '[') + std::string(100, ']'), auth);
  ASSERT_TRUE(deep.ok());
  EXPECT_TRUE(IsProblem(*deep, 400)) << deep->body;
  EXPECT_NE(deep->body.find("nesting"), std::string::npos);

  auto utf8 = client.Send("POST", "/api/v1/echo", "{\"a\":\"\xff\xfe\"}", auth);
  ASSERT_TRUE(utf8.ok());
  EXPECT_TRUE(IsProblem(*utf8, 400)) << utf8->body;
  EXPECT_NE(utf8->body.find("UTF-8"), std::string::npos);
}

TEST(HttpServerTest, UnknownRouteIs404AndWrongMethodIs405) {
  TestServer ts;
  TestHttpClient client(ts.port());
  auto missing = client.Send("GET", "/api/v1/nothing-here");
  ASSERT_TRUE(missing.ok());
  EXPECT_TRUE(IsProblem(*missing, 404)) << missing->body;
  auto wrong = client.Send("DELETE", "/health");
  ASSERT_TRUE(wrong.ok());
  EXPECT_TRUE(IsProblem(*wrong, 405)) << wrong->body;
  EXPECT_EQ(wrong->headers.Get("Allow"), "GET");
}

TEST(HttpServerTest, AuthenticationFailuresAre401And403) {
  TestServer ts;
  TestHttpClient client(ts.port());
  auto missing = client.Send("GET", "/api/v1/things/t-1");
  ASSERT_TRUE(missing.ok());
  EXPECT_TRUE(IsProblem(*missing, 401));
  EXPECT_TRUE(missing->headers.Get("WWW-Authenticate")->starts_with("Bearer"));

  Headers garbled;
  garbled.Add("Authorization", "Bearer not.a.token");
  auto bad = client.Send("GET", "/api/v1/things/t-1", "", garbled);
  ASSERT_TRUE(bad.ok());
  EXPECT_TRUE(IsProblem(*bad, 401));

  auto viewer =
      client.Send("POST", "/api/v1/echo", "{}", ts.Auth(Role::kViewer));
  ASSERT_TRUE(viewer.ok());
  EXPECT_TRUE(IsProblem(*viewer, 403)) << viewer->body;

  auto allowed =
      client.Send("GET", "/api/v1/things/t%201", "", ts.Auth(Role::kViewer));
  ASSERT_TRUE(allowed.ok());
  EXPECT_EQ(allowed->status, 200);
  EXPECT_EQ(allowed->body, "t 1@acme");
}

TEST(HttpServerTest, CorrelationIdIsEchoedOrGenerated) {
  TestServer ts;
  TestHttpClient client(ts.port());
  Headers sent;
  sent.Add("X-Correlation-Id", "req-42");
  auto echoed = client.Send("GET", "/health", "", sent);
  ASSERT_TRUE(echoed.ok());
  EXPECT_EQ(echoed->headers.Get("X-Correlation-Id"), "req-42");

  auto generated = client.Send("GET", "/nope");
  ASSERT_TRUE(generated.ok());
  ASSERT_TRUE(generated->headers.Has("X-Correlation-Id"));
  EXPECT_TRUE(core::IsUuid(*generated->headers.Get("X-Correlation-Id")));
}

TEST(HttpServerTest, StreamedResponseDeliversEveryEventThenEnds) {
  TestServer ts;
  TestHttpClient client(ts.port());
  auto r = client.Send("GET", "/api/v1/stream", "", ts.Auth(Role::kViewer));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->headers.Get("Content-Type"), "text/event-stream");
  EXPECT_EQ(r->body,
            "data: {\"n\":1}\n\ndata: {\"n\":2}\n\ndata: {\"n\":3}\n\n");
  EXPECT_TRUE(client.WaitForClose());
}

TEST(HttpServerTest, SlowHeaderClientIsDisconnected) {
  HttpServerOptions options;
  options.header_timeout = milliseconds(200);
  TestServer ts(options);
  TestHttpClient client(ts.port());
  ASSERT_TRUE(client.WriteRaw("GET /health HTTP/1.1\r\nHost: x\r\n").ok());
  // The head never completes; the server must hang up on its own.
  EXPECT_TRUE(client.WaitForClose());
}

TEST(HttpServerTest, ConnectionsBeyondTheLimitGet503WithRetryAfter) {
  HttpServerOptions options;
  options.max_connections = 1;
  TestServer ts(options);
  TestHttpClient first(ts.port());
  auto r = first.Send("GET", "/health");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);

  TestHttpClient second(ts.port());
  auto refused = second.Read();
  ASSERT_TRUE(refused.ok()) << refused.status();
  EXPECT_TRUE(IsProblem(*refused, 503)) << refused->body;
  EXPECT_TRUE(refused->headers.Has("Retry-After"));
  EXPECT_TRUE(second.WaitForClose());

  // The first connection is unaffected.
  auto again = first.Send("GET", "/health");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->status, 200);
}

TEST(HttpServerTest, StopFinishesTheRequestInFlight) {
  TestServer ts;
  std::future<void> started = ts.started();
  TestHttpClient busy(ts.port());
  TestHttpClient idle(ts.port());
  ASSERT_TRUE(idle.Send("GET", "/health").ok());
  ASSERT_TRUE(busy.WriteRaw("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n").ok());
  ASSERT_EQ(started.wait_for(seconds(10)), std::future_status::ready);

  std::thread stopper([&ts] { ts.server().Stop(seconds(10)); });
  auto r = busy.Read();
  stopper.join();
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "done");
  EXPECT_FALSE(r->keep_alive);
  EXPECT_TRUE(idle.WaitForClose());
  TestHttpClient late(ts.port());
  EXPECT_FALSE(late.connect_status().ok());
}

TEST(HttpServerTest, BlockedHandlerDoesNotHoldUpOtherConnections) {
  HttpServerOptions options;
  options.threads = 1;  // both connections share one I/O thread
  TestServer ts(options);
  std::future<void> blocked = ts.blocked_started();
  TestHttpClient busy(ts.port());
  ASSERT_TRUE(
      busy.WriteRaw(
              "POST /blocked HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
          .ok());
  ASSERT_EQ(blocked.wait_for(seconds(10)), std::future_status::ready);

  // Answered while /blocked is still being handled on the same io_context.
  TestHttpClient other(ts.port(), seconds(5));
  auto r = other.Send("GET", "/health");
  ts.OpenGate();
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, 200);

  auto released = busy.Read();
  ASSERT_TRUE(released.ok()) << released.status();
  EXPECT_EQ(released->body, "released");
}

TEST(HttpServerTest, StopForceClosesAConnectionWhoseHandlerOutlivesGrace) {
  TestServer ts;
  std::future<void> blocked = ts.blocked_started();
  TestHttpClient busy(ts.port());
  ASSERT_TRUE(
      busy.WriteRaw(
              "POST /blocked HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
          .ok());
  ASSERT_EQ(blocked.wait_for(seconds(10)), std::future_status::ready);

  std::thread stopper([&ts] { ts.server().Stop(milliseconds(100)); });
  // The connection is closed after the grace period although its handler
  // is still running; Stop waits for the handler, whose late answer is
  // dropped.
  EXPECT_TRUE(busy.WaitForClose());
  ts.OpenGate();
  stopper.join();
  EXPECT_EQ(ts.server().connections(), 0u);
}

}  // namespace
}  // namespace stockpile::api
