#include "runtime/event_importer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/uuid.h"
#include "runtime/consumer_test_util.h"
#include "store/in_memory_event_store.h"
#include "transport/in_process_transport.h"

namespace stockpile::runtime {
namespace {

using std::chrono::milliseconds;
using testing::WaitUntil;

// Forwards to an inner store; its next `n` Appends fail with Unavailable.
class FlakyStore final : public store::EventStore {
 public:
  explicit FlakyStore(store::EventStore& inner) : inner_(inner) {}
  void FailNextAppends(int n) { fail_next_ = n; }
  int appends_refused() const { return refused_; }

  core::Result<store::AppendResult> Append(
      std::string_view tenant, std::string_view stream,
      store::ExpectedVersion expected,
      std::vector<core::Event> events) override {
    if (fail_next_.fetch_sub(1) > 0) {
      refused_ += 1;
      return core::UnavailableError("the disk is on fire");
    }
    return inner_.Append(tenant, stream, expected, std::move(events));
  }
  core::Result<std::vector<core::EventPtr>> ReadStream(
      std::string_view tenant, std::string_view stream, int64_t from,
      size_t max, store::Direction direction) override {
    return inner_.ReadStream(tenant, stream, from, max, direction);
  }
  core::Result<int64_t> StreamVersion(std::string_view tenant,
                                      std::string_view stream) override {
    return inner_.StreamVersion(tenant, stream);
  }
  core::Result<store::ReadAllResult> ReadAll(
      int64_t after, size_t max, const store::ReadFilter& filter) override {
    return inner_.ReadAll(after, max, filter);
  }
  core::Result<int64_t> HeadPosition() override {
    return inner_.HeadPosition();
  }
  core::Result<std::unique_ptr<store::Subscription>> SubscribeAll(
      int64_t after, store::ReadFilter filter,
      store::EventHandler handler) override {
    return inner_.SubscribeAll(after, std::move(filter), std::move(handler));
  }
  core::Result<std::unique_ptr<store::Subscription>> SubscribeStream(
      std::string_view tenant, std::string_view stream, int64_t after,
      store::EventHandler handler) override {
    return inner_.SubscribeStream(tenant, stream, after, std::move(handler));
  }
  core::Status DeleteStream(std::string_view tenant, std::string_view stream,
                            store::ExpectedVersion expected) override {
    return inner_.DeleteStream(tenant, stream, expected);
  }
  core::Status SetStreamMetadata(std::string_view tenant,
                                 std::string_view stream,
                                 const store::StreamMetadata& m) override {
    return inner_.SetStreamMetadata(tenant, stream, m);
  }
  core::Result<store::StreamMetadata> GetStreamMetadata(
      std::string_view tenant, std::string_view stream) override {
    return inner_.GetStreamMetadata(tenant, stream);
  }
  core::Result<store::ScavengeResult> Scavenge() override {
    return inner_.Scavenge();
  }
  core::Status SaveSnapshot(std::string_view tenant, std::string_view stream,
                            const store::Snapshot& s) override {
    return inner_.SaveSnapshot(tenant, stream, s);
  }
  core::Result<store::Snapshot> LoadSnapshot(std::string_view tenant,
                                             std::string_view stream) override {
    return inner_.LoadSnapshot(tenant, stream);
  }

 private:
  store::EventStore& inner_;
  std::atomic<int> fail_next_{0};
  std::atomic<int> refused_{0};
};

class EventImporterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(transport_
                    ->DeclareTopology(
                        {.queues = {{"inventory", {"order.#", "catalog.#"}}}})
                    .ok());
  }

  core::EventPtr OrderEvent(const std::string& type, const std::string& id,
                            const std::string& tenant = "acme") {
    return core::EventBuilder(type)
        .Aggregate("order", id)
        .Tenant(tenant)
        .Payload({{"orderId", id}})
        .Build(ids_, clock_);
  }

  void Publish(std::vector<core::EventPtr> events) {
    ASSERT_TRUE(transport_->Publish(events).ok());
  }

  std::unique_ptr<EventImporter> StartImporter(
      store::EventStore& store, std::vector<std::string> skip = {}) {
    auto importer = EventImporter::Start(
        {.queue = "inventory",
         .skip_patterns = std::move(skip),
         .poll_timeout = milliseconds(5),
         .backoff = {.base_delay = milliseconds(1),
                     .max_delay = milliseconds(5)}},
        {.store = &store, .transport = transport_.get(), .clock = &clock_});
    EXPECT_TRUE(importer.ok()) << importer.status();
    return importer.ok() ? std::move(importer).value() : nullptr;
  }

  std::vector<core::EventPtr> Log() {
    auto page = local_->ReadAll(0, 1000, store::ReadFilter::AllTenants({"#"}));
    EXPECT_TRUE(page.ok()) << page.status();
    return page.ok() ? page->events : std::vector<core::EventPtr>{};
  }

  core::ManualClock clock_;
  core::UuidV7Generator ids_{clock_};
  std::unique_ptr<transport::InProcessTransport> transport_ =
      transport::MakeInProcessTransport();
  std::unique_ptr<store::EventStore> local_ = store::MakeInMemoryEventStore();
};

TEST_F(EventImporterTest, ImportsIntoMirrorStreamsKeepingIdsAndOrder) {
  auto importer = StartImporter(*local_);
  core::EventPtr a1 = OrderEvent("order.created", "o-1");
  core::EventPtr b1 = OrderEvent("order.created", "o-2");
  core::EventPtr a2 = OrderEvent("order.confirmed", "o-1");
  Publish({a1, b1, a2});
  ASSERT_TRUE(WaitUntil([&] { return importer->Stats().imported == 3; }));

  auto stream = local_->ReadStream("acme", "mirror-order-o-1", 1, 10,
                                   store::Direction::kForward);
  ASSERT_TRUE(stream.ok()) << stream.status();
  ASSERT_EQ(stream->size(), 2u);
  EXPECT_EQ((*stream)[0]->event_id, a1->event_id);
  EXPECT_EQ((*stream)[1]->event_id, a2->event_id);
  EXPECT_EQ((*stream)[1]->payload, a2->payload);
  EXPECT_EQ((*stream)[1]->metadata, a2->metadata);
  EXPECT_EQ(Log().size(), 3u);
}

TEST_F(EventImporterTest, RedeliveredEventIsStoredOnce) {
  auto importer = StartImporter(*local_);
  core::EventPtr e = OrderEvent("order.created", "o-1");
  Publish({e});
  Publish({e});  // the relay published it again after a crash
  Publish({OrderEvent("order.created", "o-2")});
  ASSERT_TRUE(WaitUntil([&] { return importer->Stats().imported == 3; }));
  // Different aggregates may land in either order; each event once.
  std::vector<core::EventPtr> log = Log();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(std::count_if(log.begin(), log.end(),
                          [&](const core::EventPtr& x) {
                            return x->event_id == e->event_id;
                          }),
            1);
}

TEST_F(EventImporterTest, SkipsThisProcesssOwnTypes) {
  auto importer = StartImporter(*local_, {"catalog.#"});
  Publish({core::EventBuilder("catalog.product.created")
               .Aggregate("product", "p-1")
               .Tenant("acme")
               .Build(ids_, clock_),
           OrderEvent("order.created", "o-1")});
  ASSERT_TRUE(WaitUntil([&] {
    auto s = importer->Stats();
    return s.imported == 1 && s.skipped == 1;
  }));
  std::vector<core::EventPtr> log = Log();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0]->event_type, "order.created");
}

TEST_F(EventImporterTest, EventTheStoreRefusesIsDeadLetteredNotLooped) {
  auto importer = StartImporter(*local_);
  Publish({OrderEvent("order.created", "o-1", "not a tenant!")});
  ASSERT_TRUE(WaitUntil([&] { return importer->Stats().dead_lettered == 1; }));
  // Reported until a batch imports cleanly (so looked at before the next;
  // it is set just after the count).
  EXPECT_TRUE(WaitUntil([&] { return importer->Stats().last_error != ""; }));
  Publish({OrderEvent("order.created", "o-2")});
  ASSERT_TRUE(WaitUntil([&] { return importer->Stats().imported == 1; }));
  auto dlq = transport_->Consume(transport::DeadLetterQueue("inventory"), {});
  ASSERT_TRUE(dlq.ok()) << dlq.status();
  std::vector<transport::Delivery> parked;
  ASSERT_TRUE(WaitUntil([&] {
    auto got = (*dlq)->Poll(10, milliseconds(5));
    if (got.ok()) parked.insert(parked.end(), got->begin(), got->end());
    return !parked.empty();
  }));
  EXPECT_EQ(parked[0].event->tenant_id, "not a tenant!");
  EXPECT_EQ(Log().size(), 1u);
  EXPECT_EQ(importer->Stats().dead_lettered, 1);
}

TEST_F(EventImporterTest, StoreOutageRequeuesAndImportsLaterInOrder) {
  FlakyStore flaky(*local_);
  flaky.FailNextAppends(3);
  auto importer = StartImporter(flaky);
  core::EventPtr e1 = OrderEvent("order.created", "o-1");
  core::EventPtr e2 = OrderEvent("order.confirmed", "o-1");
  Publish({e1, e2});
  ASSERT_TRUE(WaitUntil([&] { return importer->Stats().imported == 2; }));
  EXPECT_EQ(flaky.appends_refused(), 3);
  EXPECT_GE(importer->Stats().failures, 1);
  auto stream = local_->ReadStream("acme", "mirror-order-o-1", 1, 10,
                                   store::Direction::kForward);
  ASSERT_TRUE(stream.ok()) << stream.status();
  ASSERT_EQ(stream->size(), 2u);
  EXPECT_EQ((*stream)[0]->event_id, e1->event_id);
  EXPECT_EQ((*stream)[1]->event_id, e2->event_id);
  EXPECT_EQ(importer->Stats().last_error, "");
}

TEST(MirrorStreamNameTest, ReadableWhenValidElseNameBasedUuid) {
  core::Event e;
  e.aggregate_type = "order";
  e.aggregate_id = "o-1";
  EXPECT_EQ(MirrorStreamName(e), "mirror-order-o-1");
  e.aggregate_type = "sku";
  e.aggregate_id = "A B/C";
  const std::string odd = MirrorStreamName(e);
  EXPECT_TRUE(odd.starts_with("mirror-"));
  EXPECT_EQ(odd, MirrorStreamName(e));
  e.aggregate_id = "A B/D";
  EXPECT_NE(odd, MirrorStreamName(e));
}

}  // namespace
}  // namespace stockpile::runtime
