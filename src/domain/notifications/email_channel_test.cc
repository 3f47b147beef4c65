#include "domain/notifications/email_channel.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "domain/common/domain_test_util.h"
#include "domain/notifications/alert_service.h"
#include "domain/notifications/test_smtp_sink.h"

namespace stockpile::domain::notifications {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::TestSmtpSink;

// Given an alert raised from a low-stock event, when the email channel
// handles it, then the SMTP sink on 127.0.0.1 holds the mail and the log
// records one notification.sent.
class EmailChannelTest : public testing::DomainStoreTest {
 protected:
  void SetUp() override {
    DomainStoreTest::SetUp();
    AlertService alerts(deps_, obs::Logger::Discard());
    const common::CommandContext ctx{.tenant = "acme"};
    core::Event low =
        common::NewEvent(deps_, ctx, "inventory", "inventory.stock.low",
                         "inventory_position", "p1@main",
                         {{"productId", "p1"},
                          {"locationId", "main"},
                          {"available", 0},
                          {"reorderPoint", 4}});
    ASSERT_TRUE(alerts.HandleEvent(low).ok());
    auto events =
        store_->ReadStream("acme", AlertStream(kLowStock, "p1@main"), 1, 1);
    ASSERT_TRUE(events.ok()) << events.status();
    raised_ = (*events)[0];
  }

  EmailChannel Channel(uint16_t port) {
    EmailOptions options;
    options.relay.host = "127.0.0.1";
    options.relay.port = port;
    options.relay.timeout = std::chrono::seconds(5);
    options.from = "stockpile@test";
    options.to = {"ops@example.com", "buyer@example.com"};
    return EmailChannel(deps_, std::move(options));
  }

  std::vector<core::EventPtr> Sent() {
    std::vector<core::EventPtr> out;
    auto all = store_->ReadAll(0, 1000, store::ReadFilter::AllTenants());
    for (const core::EventPtr& e : all->events) {
      if (e->event_type == "notification.sent" &&
          e->PayloadString("channel") == "email") {
        out.push_back(e);
      }
    }
    return out;
  }

  core::EventPtr raised_;
};

TEST_P(EmailChannelTest, MailsTheAlertToEveryRecipientOnce) {
  TestSmtpSink sink;
  EmailChannel email = Channel(sink.port());
  ASSERT_TRUE(email.HandleAlertRaised(*raised_).ok());
  ASSERT_TRUE(email.HandleAlertRaised(*raised_).ok());  // a redelivery
  auto mails = sink.mails();
  ASSERT_EQ(mails.size(), 2u);  // SMTP is at-least-once ...
  EXPECT_EQ(mails[0].from, "stockpile@test");
  EXPECT_THAT(mails[0].to, ElementsAre("ops@example.com", "buyer@example.com"));
  EXPECT_THAT(mails[0].data,
              HasSubstr("Subject: [Stockpile] critical low_stock: p1 at "
                        "main: 0 available, reorder point 4\r\n"));
  EXPECT_THAT(mails[0].data, HasSubstr("Alert: low_stock.p1@main.1\r\n"));
  const auto sent = Sent();  // ... the record of the delivery is not
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0]->PayloadString("recipient"),
            "ops@example.com, buyer@example.com");
  EXPECT_EQ(sent[0]->causation_id(), raised_->event_id);
}

TEST_P(EmailChannelTest, TemporaryRefusalsRetryPermanentOnesPark) {
  TestSmtpSink sink({451, 550, 250});
  EmailChannel email = Channel(sink.port());
  EXPECT_EQ(email.HandleAlertRaised(*raised_).code(),
            core::StatusCode::kUnavailable);
  EXPECT_EQ(email.HandleAlertRaised(*raised_).code(),
            core::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Sent().empty());
  EXPECT_TRUE(email.HandleAlertRaised(*raised_).ok());
  EXPECT_EQ(sink.mails().size(), 1u);
  EXPECT_EQ(Sent().size(), 1u);
}

TEST_P(EmailChannelTest, NoRelayListeningIsUnavailable) {
  uint16_t port = 0;
  {
    TestSmtpSink gone;
    port = gone.port();
  }
  EXPECT_EQ(Channel(port).HandleAlertRaised(*raised_).code(),
            core::StatusCode::kUnavailable);
}

TEST(SmtpClientTest, RefusesAddressesThatCouldInjectCommands) {
  EXPECT_EQ(SendMail({.host = "127.0.0.1", .port = 1},
                     {.from = "a@x", .to = {"b@y>\r\nRCPT TO:<c@z"}})
                .code(),
            core::StatusCode::kInvalidArgument);
  EXPECT_EQ(SendMail({.host = "127.0.0.1", .port = 1}, {.from = "a@x"}).code(),
            core::StatusCode::kInvalidArgument);
}

TEST(SmtpClientTest, DotStuffsTheBody) {
  TestSmtpSink sink;
  ASSERT_TRUE(SendMail({.host = "127.0.0.1", .port = sink.port()},
                       {.from = "a@x",
                        .to = {"b@y"},
                        .subject = "two\r\nlines",
                        .body = "first\n.\n..dots"})
                  .ok());
  ASSERT_EQ(sink.mails().size(), 1u);
  EXPECT_THAT(sink.mails()[0].data, HasSubstr("Subject: two  lines\r\n"));
  EXPECT_THAT(sink.mails()[0].data,
              HasSubstr("\r\nfirst\r\n..\r\n...dots\r\n"));
}

INSTANTIATE_TEST_SUITE_P(Stores, EmailChannelTest, testing::kAllStores,
                         testing::StoreName);

}  // namespace
}  // namespace stockpile::domain::notifications
