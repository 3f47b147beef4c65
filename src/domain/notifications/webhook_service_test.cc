#include "domain/notifications/webhook_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "domain/common/domain_test_util.h"
#include "domain/notifications/test_http_receiver.h"
#include "runtime/consumer.h"
#include "runtime/consumer_test_util.h"
#include "runtime/in_memory_checkpoint_store.h"
#include "runtime/in_memory_dead_letter_store.h"
#include "runtime/in_memory_inbox_store.h"
#include "runtime/in_memory_transaction.h"
#include "runtime/store_event_source.h"

namespace stockpile::domain::notifications {
namespace {

using runtime::testing::WaitUntil;
using testing::TestHttpReceiver;

// Webhooks end to end on the consumer runtime: the read model of webhooks,
// the dispatch and delivery subscriptions (memory consumer stores, the
// system clock, a 3-attempt policy of milliseconds) and a real HTTP server
// on 127.0.0.1 that checks the signature.
class WebhookServiceTest : public testing::DomainStoreTest {
 protected:
  void SetUp() override {
    DomainStoreTest::SetUp();
    webhooks_ = std::make_unique<WebhookService>(
        deps_, view_,
        WebhookOptions{
            .key_material = "jwt-secret-of-the-test",
            .http = {.connect_timeout = std::chrono::seconds(2),
                     .response_timeout = std::chrono::milliseconds(300)}});
    auto sub = store_->SubscribeAll(
        0, store::ReadFilter::AllTenants({"notification.webhook.*"}),
        [this](const core::EventPtr& e) {
          view_.Apply(*e, e->aggregate_id);
          return core::Status::Ok();
        });
    ASSERT_TRUE(sub.ok()) << sub.status();
    view_sub_ = std::move(sub).value();
  }
  void TearDown() override {
    for (auto& c : consumers_) c->Stop();
    consumers_.clear();
    view_sub_.reset();
    webhooks_.reset();
    DomainStoreTest::TearDown();
  }

  void StartConsumers() {
    source_ = std::make_unique<runtime::StoreEventSource>(*store_);
    const runtime::ConsumerDeps deps{.source = source_.get(),
                                     .transactions = &transactions_,
                                     .checkpoints = &checkpoints_,
                                     .inbox = &inbox_,
                                     .dead_letters = &dead_letters_,
                                     .clock = &system_clock_};
    for (auto options : {WebhookDispatchSubscription(*webhooks_),
                         WebhookDeliverySubscription(*webhooks_)}) {
      options.retry = {.max_attempts = 3,
                       .base_delay = std::chrono::milliseconds(1),
                       .max_delay = std::chrono::milliseconds(5)};
      auto c = runtime::Consumer::Start(std::move(options), deps);
      ASSERT_TRUE(c.ok()) << c.status();
      consumers_.push_back(std::move(c).value());
    }
  }

  std::string Register(const std::string& url,
                       std::vector<std::string> events = {"order.*"},
                       const std::string& tenant = "acme") {
    auto w = webhooks_->Register(
        {.tenant = tenant, .user_id = "u-1"},
        {.url = url, .events = std::move(events), .secret = "s3cret"});
    EXPECT_TRUE(w.ok()) << w.status();
    std::string id = w.ok() ? w->id : "";
    EXPECT_TRUE(WaitUntil([&] { return view_.Get(tenant, id).has_value(); }));
    return id;
  }

  // An order.created of `tenant`, appended to the log.
  core::EventPtr Order(const std::string& id,
                       const std::string& tenant = "acme") {
    const common::CommandContext ctx{.tenant = tenant};
    core::Event e =
        common::NewEvent(deps_, ctx, "orders", "order.created", "order", id,
                         {{"orderId", id},
                          {"orderNumber", "ORD-1"},
                          {"customerId", "c1"},
                          {"items", boost::json::array{}},
                          {"totalAmount", 1.5},
                          {"currency", "USD"}});
    auto appended = store_->Append(tenant, "order-" + id,
                                   store::ExpectedVersion::Any(), {e});
    EXPECT_TRUE(appended.ok()) << appended.status();
    return appended->events[0];
  }

  // notification.sent events of `tenant`.
  std::vector<core::EventPtr> Sent(const std::string& tenant = "acme") {
    std::vector<core::EventPtr> out;
    auto all = store_->ReadAll(0, 100000, store::ReadFilter::AllTenants());
    for (const core::EventPtr& e : all->events) {
      if (e->event_type == "notification.sent" && e->tenant_id == tenant) {
        out.push_back(e);
      }
    }
    return out;
  }

  std::vector<runtime::DeadLetter> Parked() {
    auto list = dead_letters_.List(kWebhookDeliverySubscription);
    EXPECT_TRUE(list.ok());
    std::vector<runtime::DeadLetter> out;
    for (auto& d : *list) {
      if (d.state == runtime::DeadLetterState::kParked) out.push_back(d);
    }
    return out;
  }

  core::SystemClock system_clock_;
  common::KeyedView<WebhookState> view_;
  std::unique_ptr<store::Subscription> view_sub_;
  std::unique_ptr<WebhookService> webhooks_;
  std::unique_ptr<runtime::StoreEventSource> source_;
  runtime::InMemoryTransactionRunner transactions_;
  runtime::InMemoryCheckpointStore checkpoints_;
  runtime::InMemoryInboxStore inbox_;
  runtime::InMemoryDeadLetterStore dead_letters_;
  std::vector<std::unique_ptr<runtime::Consumer>> consumers_;
};

TEST_P(WebhookServiceTest, DeliversSignedCloudEventsOfMatchingTypesOnce) {
  TestHttpReceiver hook("s3cret");
  Order("before");  // before the webhook existed: never delivered
  const std::string id = Register(hook.url(), {"order.created"});
  StartConsumers();
  core::EventPtr order = Order("o-1");
  const common::CommandContext ctx{.tenant = "acme"};
  ASSERT_TRUE(
      store_
          ->Append("acme", "x", store::ExpectedVersion::Any(),
                   {common::NewEvent(deps_, ctx, "orders", "order.cancelled",
                                     "order", "o-1", {{"orderId", "o-1"}})})
          .ok());
  ASSERT_TRUE(WaitUntil([&] { return Sent().size() == 1; }));
  auto received = hook.requests();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_TRUE(received[0].signature_valid) << received[0].signature;
  EXPECT_EQ(received[0].content_type, "application/cloudevents+json");
  EXPECT_EQ(received[0].target, "/hook");
  auto body = boost::json::parse(received[0].body).as_object();
  EXPECT_EQ(body.at("id"), order->event_id.c_str());
  EXPECT_EQ(body.at("type"), "order.created");
  const core::EventPtr sent = Sent()[0];
  EXPECT_EQ(sent->PayloadString("channel"), "webhook");
  EXPECT_EQ(sent->PayloadString("recipient"), hook.url());
  EXPECT_EQ(sent->PayloadString("sourceEventId"), order->event_id);

  // A second dispatch of the same event (a redelivery) requests nothing new.
  ASSERT_TRUE(webhooks_->Dispatch(*order).ok());
  ASSERT_TRUE(webhooks_->Delete({.tenant = "acme"}, id).ok());
  Order("o-2");  // after the delete: not delivered
  EXPECT_EQ(webhooks_->Delete({.tenant = "acme"}, id).code(),
            core::StatusCode::kNotFound);
  for (auto& c : consumers_) {
    ASSERT_TRUE(WaitUntil([&] { return c->Stats().lag_events == 0; }));
  }
  EXPECT_EQ(hook.requests().size(), 1u);
  EXPECT_EQ(Sent().size(), 1u);
}

// A password hash is never sent, nor copied into a delivery request.
TEST_P(WebhookServiceTest, PasswordHashesNeverLeaveTheProcess) {
  TestHttpReceiver hook("s3cret");
  Register(hook.url(), {"user.#"});
  StartConsumers();
  const common::CommandContext ctx{.tenant = "acme"};
  ASSERT_TRUE(
      store_
          ->Append(
              "acme", "user-u-1", store::ExpectedVersion::Any(),
              {common::NewEvent(
                   deps_, ctx, "users", "user.password.set", "user", "u-1",
                   {{"userId", "u-1"}, {"passwordHash", "$argon2id$secret"}}),
               common::NewEvent(deps_, ctx, "users", "user.registered", "user",
                                "u-1",
                                {{"userId", "u-1"},
                                 {"email", "a@example.com"},
                                 {"role", "clerk"}})})
          .ok());
  ASSERT_TRUE(WaitUntil([&] { return Sent().size() == 1; }));
  for (auto& c : consumers_) {
    ASSERT_TRUE(WaitUntil([&] { return c->Stats().lag_events == 0; }));
  }
  auto received = hook.requests();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(boost::json::parse(received[0].body).at("type"), "user.registered");
  auto all = store_->ReadAll(0, 100000, store::ReadFilter::AllTenants());
  ASSERT_TRUE(all.ok());
  for (const core::EventPtr& e : all->events) {
    if (e->event_type == "notification.delivery.requested") {
      EXPECT_EQ(e->PayloadString("sourceEventType"), "user.registered");
    }
  }
}

TEST_P(WebhookServiceTest, FailingEndpointIsRetriedThenParkedAndRedrivenOnce) {
  // 503, 500, then a too-slow answer: three failed attempts -> parked; the
  // redrive's POST gets a 200.
  TestHttpReceiver hook("s3cret", {503, 500, -800, 200});
  Register(hook.url());
  StartConsumers();
  Order("o-1");
  ASSERT_TRUE(WaitUntil([&] { return Parked().size() == 1; }));
  const runtime::DeadLetter parked = Parked()[0];
  EXPECT_EQ(parked.attempts, 3);
  EXPECT_EQ(parked.event_type, "notification.delivery.requested");
  EXPECT_THAT(parked.error, ::testing::HasSubstr("timed out"));
  EXPECT_GE(hook.requests().size(), 2u);
  EXPECT_TRUE(Sent().empty());

  // The receiver is done with the slow one before the redrive's POST.
  ASSERT_TRUE(hook.WaitForAnswered(3));
  ASSERT_TRUE(consumers_[1]->Redrive(parked.id).ok());
  ASSERT_TRUE(WaitUntil([&] { return Sent().size() == 1; }))
      << hook.requests().size() << " requests; parked " << Parked().size()
      << " " << (Parked().empty() ? "" : Parked()[0].error);
  ASSERT_TRUE(WaitUntil([&] { return Parked().empty(); }));
  auto received = hook.WaitForRequests(4);
  ASSERT_EQ(received.size(), 4u);
  for (const auto& r : received) EXPECT_TRUE(r.signature_valid);
  EXPECT_EQ(received[0].body, received[3].body);  // the same event again
}

TEST_P(WebhookServiceTest, ATenantsEventsGoOnlyToItsOwnWebhooks) {
  TestHttpReceiver acme("s3cret");
  TestHttpReceiver globex("s3cret");
  Register(acme.url(), {"#"});
  const std::string globex_id = Register(globex.url(), {"#"}, "globex");
  StartConsumers();
  Order("o-1", "globex");
  ASSERT_TRUE(WaitUntil([&] { return Sent("globex").size() == 1; }));
  EXPECT_EQ(globex.requests().size(), 1u);
  EXPECT_TRUE(acme.requests().empty());
  EXPECT_TRUE(Sent("acme").empty());
  EXPECT_EQ(webhooks_->Get("acme", globex_id).status().code(),
            core::StatusCode::kNotFound);
  EXPECT_EQ(webhooks_->Delete({.tenant = "acme"}, globex_id).code(),
            core::StatusCode::kNotFound);
}

TEST_P(WebhookServiceTest, BadRequestsAreRefusedAndSecretsNeverStoredPlain) {
  const common::CommandContext ctx{.tenant = "acme"};
  auto code = [&](WebhookRequest r) {
    return webhooks_->Register(ctx, std::move(r)).status().code();
  };
  const auto kBad = core::StatusCode::kInvalidArgument;
  EXPECT_EQ(
      code({.url = "https://example.com/h", .events = {"#"}, .secret = "s"}),
      kBad);
  EXPECT_EQ(code({.url = "ftp://example.com", .events = {"#"}, .secret = "s"}),
            kBad);
  EXPECT_EQ(code({.url = "http://", .events = {"#"}, .secret = "s"}), kBad);
  EXPECT_EQ(code({.url = "http://h:99999/", .events = {"#"}, .secret = "s"}),
            kBad);
  EXPECT_EQ(code({.url = "http://u@h/", .events = {"#"}, .secret = "s"}), kBad);
  EXPECT_EQ(code({.url = "http://h/a b", .events = {"#"}, .secret = "s"}),
            kBad);
  EXPECT_EQ(code({.url = "http://h/", .events = {}, .secret = "s"}), kBad);
  EXPECT_EQ(code({.url = "http://h/", .events = {"Order.*"}, .secret = "s"}),
            kBad);
  EXPECT_EQ(code({.url = "http://h/", .events = {"#"}, .secret = ""}), kBad);
  auto ok = webhooks_->Register(ctx, {.url = "http://hooks.example:8081/in?x=1",
                                      .events = {"order.#"},
                                      .secret = "plain-secret-123"});
  ASSERT_TRUE(ok.ok()) << ok.status();
  auto all = store_->ReadAll(0, 1000, store::ReadFilter::AllTenants());
  for (const core::EventPtr& e : all->events) {
    EXPECT_EQ(core::EncodeEvent(*e).find("plain-secret-123"),
              std::string::npos);
  }
  EXPECT_EQ(ok->ToJson().count("secret"), 0u);
  EXPECT_EQ(ok->ToJson().count("secretSealed"), 0u);
}

TEST(HttpUrlTest, SplitsHostPortAndTarget) {
  auto url = ParseHttpUrl("HTTP://127.0.0.1:9000/hook?a=1");
  ASSERT_TRUE(url.ok()) << url.status();
  EXPECT_EQ(url->host, "127.0.0.1");
  EXPECT_EQ(url->port, 9000);
  EXPECT_EQ(url->target, "/hook?a=1");
  url = ParseHttpUrl("http://[::1]");
  ASSERT_TRUE(url.ok()) << url.status();
  EXPECT_EQ(url->host, "[::1]");
  EXPECT_EQ(url->port, 80);
  EXPECT_EQ(url->target, "/");
}

TEST(SecretBoxTest, OpensWhatItSealedAndNothingElse) {
  SecretBox box("key one");
  const std::string sealed = box.Seal("s3cret");
  EXPECT_EQ(sealed.find("s3cret"), std::string::npos);
  EXPECT_NE(box.Seal("s3cret"), sealed);  // a fresh nonce each time
  EXPECT_EQ(*box.Open(sealed), "s3cret");
  EXPECT_EQ(SecretBox("key two").Open(sealed).status().code(),
            core::StatusCode::kFailedPrecondition);
  std::string altered = sealed;
  altered.back() = altered.back() == '0' ? '1' : '0';
  EXPECT_FALSE(box.Open(altered).ok());
  EXPECT_EQ(box.Open("plain").status().code(),
            core::StatusCode::kInvalidArgument);
}

TEST(WebhookSignatureTest, IsTheHexHmacSha256OfTheBody) {
  // RFC 4231 test case 2.
  EXPECT_EQ(WebhookSignature("Jefe", "what do ya want for nothing?"),
            "sha256="
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

INSTANTIATE_TEST_SUITE_P(Stores, WebhookServiceTest, testing::kAllStores,
                         testing::StoreName);

}  // namespace
}  // namespace stockpile::domain::notifications
