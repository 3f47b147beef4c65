#include "api/events_routes.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "api/dispatcher.h"
#include "api/jwt_signer.h"
#include "api/jwt_verifier.h"
#include "store/in_memory_event_store.h"

namespace stockpile::api {
namespace {

using std::chrono::seconds;

// Collects what an SSE handler writes.
class CapturingStream : public ResponseStream {
 public:
  bool Write(std::string data) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return false;
    text_ += data;
    cv_.notify_all();
    return true;
  }
  void Close() override {
    std::vector<std::function<void()>> callbacks;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (closed_) return;
      closed_ = true;
      callbacks.swap(on_closed_);
    }
    for (auto& cb : callbacks) cb();
  }
  bool closed() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return closed_;
  }
  void OnClosed(std::function<void()> callback) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!closed_) {
        on_closed_.push_back(std::move(callback));
        return;
      }
    }
    callback();
  }
  // Waits (at most 10 s) until `needle` has been written `count` times.
  bool WaitFor(const std::string& needle, size_t count) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, seconds(10), [&] {
      size_t n = 0;
      for (size_t at = text_.find(needle); at != std::string::npos;
           at = text_.find(needle, at + 1)) {
        ++n;
      }
      return n >= count;
    });
  }
  std::string text() const {
    std::lock_guard<std::mutex> lock(mu_);
    return text_;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::string text_;  // guarded by mu_
  bool closed_ = false;
  std::vector<std::function<void()>> on_closed_;
};

class EventRoutesTest : public ::testing::Test {
 protected:
  EventRoutesTest()
      : store_(store::MakeInMemoryEventStore()),
        ids_(clock_),
        verifier_(*JwtVerifier::ForHs256Secret("k", clock_)),
        signer_(*JwtSigner::ForHs256Secret("k", clock_)),
        dispatcher_(router_, verifier_.get(), clock_) {
    AddEventRoutes(router_, *store_);
  }

  void AppendOrderEvent(const std::string& tenant, const std::string& order,
                        const std::string& type) {
    core::Event e = core::EventBuilder(type)
                        .Aggregate("order", order)
                        .Tenant(tenant)
                        .Payload({{"orderId", order}})
                        .BuildValue(ids_, clock_);
    auto r = store_->Append(tenant, "order-" + order,
                            store::ExpectedVersion::Any(), {std::move(e)});
    ASSERT_TRUE(r.ok()) << r.status();
  }

  Response Get(const std::string& target, const std::string& tenant = "acme",
               const std::string& last_event_id = "") {
    Request req;
    req.method = "GET";
    req.target = target;
    req.headers.Add("Authorization",
                    "Bearer " + *signer_->Sign({"u-1", tenant, Role::kViewer},
                                               seconds(60)));
    if (!last_event_id.empty()) req.headers.Add("Last-Event-ID", last_event_id);
    return dispatcher_.Dispatch(req);
  }

  static boost::json::object Body(const Response& r) {
    return boost::json::parse(r.body).as_object();
  }

  core::ManualClock clock_;
  std::unique_ptr<store::EventStore> store_;
  core::UuidV7Generator ids_;
  Router router_;
  std::unique_ptr<JwtVerifier> verifier_;
  std::unique_ptr<JwtSigner> signer_;
  Dispatcher dispatcher_;
};

TEST_F(EventRoutesTest, ListsOnlyTheCallersTenantInPositionOrder) {
  AppendOrderEvent("acme", "1", "order.created");
  AppendOrderEvent("globex", "9", "order.created");
  AppendOrderEvent("acme", "1", "order.confirmed");
  Response r = Get("/api/v1/events");
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = Body(r);
  auto& items = body.at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("eventType").as_string(), "order.created");
  EXPECT_EQ(items[1].at("eventType").as_string(), "order.confirmed");
  EXPECT_LT(items[0].at("position").as_int64(),
            items[1].at("position").as_int64());
  for (auto& item : items) EXPECT_EQ(item.at("tenantId").as_string(), "acme");
  EXPECT_TRUE(body.at("next").is_null());
}

TEST_F(EventRoutesTest, PagesWithAfterAndNext) {
  for (int i = 0; i < 5; ++i)
    AppendOrderEvent("acme", std::to_string(i), "order.created");
  auto first = Body(Get("/api/v1/events?limit=2"));
  ASSERT_EQ(first.at("items").as_array().size(), 2u);
  ASSERT_TRUE(first.at("next").is_int64());
  int64_t next = first.at("next").as_int64();
  EXPECT_EQ(next, first.at("items").as_array()[1].at("position").as_int64());
  auto second =
      Body(Get("/api/v1/events?limit=2&after=" + std::to_string(next)));
  auto& items = second.at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_GT(items[0].at("position").as_int64(), next);
  auto rest = Body(Get("/api/v1/events?limit=10&after=" +
                       std::to_string(second.at("next").as_int64())));
  EXPECT_EQ(rest.at("items").as_array().size(), 1u);
  EXPECT_TRUE(rest.at("next").is_null());
}

TEST_F(EventRoutesTest, FiltersByTypePatternAndStream) {
  AppendOrderEvent("acme", "1", "order.created");
  AppendOrderEvent("acme", "2", "order.created");
  AppendOrderEvent("acme", "1", "order.shipped");
  auto by_type = Body(Get("/api/v1/events?type=order.shipped"));
  EXPECT_EQ(by_type.at("items").as_array().size(), 1u);
  auto by_stream = Body(Get("/api/v1/events?stream=order-1"));
  EXPECT_EQ(by_stream.at("items").as_array().size(), 2u);
  auto stream = Body(Get("/api/v1/streams/order-1"));
  EXPECT_EQ(stream.at("version").as_int64(), 2);
  EXPECT_EQ(stream.at("items").as_array().size(), 2u);
  EXPECT_TRUE(stream.at("next").is_null());
}

TEST_F(EventRoutesTest, AnotherTenantsStreamIsNotFound) {
  AppendOrderEvent("globex", "9", "order.created");
  Response r = Get("/api/v1/streams/order-9", "acme");
  EXPECT_EQ(r.status, 404) << r.body;
  EXPECT_EQ(Get("/api/v1/streams/order-9", "globex").status, 200);
}

TEST_F(EventRoutesTest, BadQueryParametersAreProblems) {
  for (const char* target :
       {"/api/v1/events?limit=abc", "/api/v1/events?limit=5000",
        "/api/v1/events?after=-1", "/api/v1/events?type=Order..x",
        "/api/v1/streams/order-1?from=x", "/api/v1/events/stream?type=a..b"}) {
    Response r = Get(target);
    EXPECT_EQ(r.status, 400) << target << " " << r.body;
    EXPECT_EQ(*r.headers.Get("content-type"), "application/problem+json")
        << target;
  }
}

TEST_F(EventRoutesTest, StreamsNewEventsAndResumesFromLastEventId) {
  AppendOrderEvent("acme", "old", "order.created");  // before: not streamed
  Response r = Get("/api/v1/events/stream?type=order.*");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_TRUE(r.stream);
  auto out = std::make_shared<CapturingStream>();
  r.stream(out);
  AppendOrderEvent("globex", "x", "order.created");      // other tenant
  AppendOrderEvent("acme", "1", "inventory.stock.low");  // other type
  AppendOrderEvent("acme", "1", "order.created");
  AppendOrderEvent("acme", "1", "order.confirmed");
  ASSERT_TRUE(out->WaitFor("\nevent: order.", 2)) << out->text();
  std::string text = out->text();
  EXPECT_EQ(text.find("globex"), std::string::npos);
  EXPECT_EQ(text.find("inventory.stock.low"), std::string::npos);
  EXPECT_EQ(text.find("\"old\""), std::string::npos);
  EXPECT_NE(text.find("event: order.confirmed"), std::string::npos);
  out->Close();

  // Resume after the first streamed event: only the second comes again.
  size_t id_at = text.find("id: ");
  std::string first_id =
      text.substr(id_at + 4, text.find('\n', id_at) - id_at - 4);
  Response resumed =
      Get("/api/v1/events/stream?type=order.*", "acme", first_id);
  auto again = std::make_shared<CapturingStream>();
  resumed.stream(again);
  ASSERT_TRUE(again->WaitFor("event: order.confirmed", 1)) << again->text();
  EXPECT_EQ(again->text().find("event: order.created"), std::string::npos);
  again->Close();
}

}  // namespace
}  // namespace stockpile::api
