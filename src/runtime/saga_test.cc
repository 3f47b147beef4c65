// The saga runtime on the in-memory stores: which events start or reach an
// instance, state across steps, timers (due, cancelled, failing), emitted
// events and compensation exactly once, and optimistic concurrency between
// workers. Restarts on persistent stores are in the consumer-store
// conformance suite (consumer_stores_conformance.cc).
#include "runtime/saga.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "runtime/consumer_test_util.h"
#include "runtime/in_memory_saga_store.h"

namespace stockpile::runtime {
namespace {

using std::chrono::milliseconds;
using testing::WaitUntil;

// Fails the first `failures` Saves with Unavailable, as a database that
// went away between the step's emits and its commit.
class FlakySagaStore final : public SagaStore {
 public:
  explicit FlakySagaStore(int failures) : failures_(failures) {}
  core::Result<SagaRecord> Load(const SagaId& id) override {
    return inner_.Load(id);
  }
  core::Status Save(Transaction& tx, const SagaRecord& r,
                    int64_t expected) override {
    if (failures_.fetch_sub(1) > 0) {
      return core::UnavailableError("saga store went away");
    }
    return inner_.Save(tx, r, expected);
  }
  core::Status SetTimer(Transaction& tx, const SagaTimer& t) override {
    return inner_.SetTimer(tx, t);
  }
  core::Status CancelTimer(Transaction& tx, const SagaId& id,
                           std::string_view name) override {
    return inner_.CancelTimer(tx, id, name);
  }
  core::Result<std::vector<SagaTimer>> DueTimers(std::string_view saga,
                                                 int64_t now_ms,
                                                 size_t limit) override {
    return inner_.DueTimers(saga, now_ms, limit);
  }

 private:
  std::atomic<int> failures_;
  InMemorySagaStore inner_;
};

// Events "order.created" (starts), "order.paid", "order.shipped"
// (completes); the key is payload.orderId.
class SagaTest : public testing::InMemoryConsumerTest {
 protected:
  ~SagaTest() override {
    consumer_.reset();
    if (saga_) saga_->Stop();
  }

  SagaDefinition Definition() {
    SagaDefinition d;
    d.name = "fulfilment";
    d.type_patterns = {"order.*"};
    d.correlate = [](const core::Event& e) {
      return std::string(e.PayloadString("orderId"));
    };
    d.starts = [](const core::Event& e) {
      return e.event_type == "order.created";
    };
    d.on_event = [this](const core::Event& e, SagaContext& ctx) {
      ++handled_;
      auto& seen = ctx.state()["seen"];
      if (!seen.is_array()) seen = boost::json::array();
      seen.as_array().push_back(boost::json::value(e.event_type));
      if (e.event_type == "order.shipped") ctx.Complete();
      return core::Status::Ok();
    };
    return d;
  }

  void StartSaga(SagaDefinition d, SagaStore* sagas = nullptr,
                 int workers = 1) {
    auto created =
        Saga::Create(std::move(d), SagaDeps{.events = store_.get(),
                                            .sagas = sagas ? sagas : &sagas_,
                                            .transactions = &runner_,
                                            .clock = &clock_,
                                            .timer_poll = milliseconds(2)});
    ASSERT_TRUE(created.ok()) << created.status();
    saga_ = std::move(created).value();
    ConsumerOptions options = saga_->Subscription();
    options.poll_interval = milliseconds(1);
    options.workers = workers;
    options.retry.base_delay = milliseconds(1);
    options.retry.max_delay = milliseconds(1);
    options.retry.max_attempts = 1000;
    StartConsumer(std::move(options));
  }

  // Appends `type` about order `order_id` to stream `stream`.
  int64_t AppendOrderEvent(const std::string& type, const std::string& order_id,
                           const std::string& stream = "") {
    core::Event e = core::EventBuilder(type)
                        .Aggregate("order", order_id)
                        .Tenant("acme")
                        .Payload({{"orderId", order_id}})
                        .BuildValue(ids_, clock_);
    auto r = store_->Append("acme", stream.empty() ? order_id : stream,
                            store::ExpectedVersion::Any(), {std::move(e)});
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->last_position : 0;
  }

  void WaitHandled(int64_t position) {
    ASSERT_TRUE(WaitUntil([&] { return consumer_->checkpoint() >= position; }));
  }
  // The same, moving the manual clock on so that retries come due.
  void WaitHandledWithRetries(int64_t position) {
    ASSERT_TRUE(WaitUntil([&] {
      clock_.Advance(milliseconds(5));
      return consumer_->checkpoint() >= position;
    }));
  }

  boost::json::object StateOf(const std::string& key,
                              SagaStore* sagas = nullptr) {
    auto r = (sagas ? sagas : &sagas_)->Load({"fulfilment", "acme", key});
    EXPECT_TRUE(r.ok()) << r.status();
    if (!r.ok()) return {};
    auto doc = core::ParseJson(r->document, core::kStoredJsonLimits);
    EXPECT_TRUE(doc.ok());
    return doc->as_object().at("state").as_object();
  }

  InMemorySagaStore sagas_;
  std::unique_ptr<Saga> saga_;
  std::atomic<int> handled_{0};
};

TEST_F(SagaTest, OnlyAStartingEventCreatesAnInstance) {
  StartSaga(Definition());
  AppendOrderEvent("order.paid", "o-1");  // no instance, does not start one
  const int64_t last = AppendOrderEvent("order.created", "o-2");
  WaitHandled(last);

  EXPECT_EQ(sagas_.Load({"fulfilment", "acme", "o-1"}).status().code(),
            core::StatusCode::kNotFound);
  auto r = sagas_.Load({"fulfilment", "acme", "o-2"});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->version, 1);
  EXPECT_EQ(handled_.load(), 1);
  EXPECT_EQ(saga_->stats().started, 1);
}

TEST_F(SagaTest, StateCarriesAcrossStepsAndACompletedInstanceIgnoresEvents) {
  StartSaga(Definition());
  AppendOrderEvent("order.created", "o-1");
  AppendOrderEvent("order.paid", "o-1");
  AppendOrderEvent("order.shipped", "o-1");
  const int64_t last = AppendOrderEvent("order.paid", "o-1");  // after done
  WaitHandled(last);

  auto r = sagas_.Load({"fulfilment", "acme", "o-1"});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->completed);
  EXPECT_EQ(r->version, 3);
  EXPECT_EQ(boost::json::serialize(StateOf("o-1")),
            R"({"seen":["order.created","order.paid","order.shipped"]})");
  EXPECT_EQ(handled_.load(), 3);
  EXPECT_EQ(saga_->stats().completed, 1);
}

TEST_F(SagaTest, InstancesAreScopedByTenant) {
  StartSaga(Definition());
  core::Event other = core::EventBuilder("order.paid")
                          .Aggregate("order", "o-1")
                          .Tenant("globex")
                          .Payload({{"orderId", "o-1"}})
                          .BuildValue(ids_, clock_);
  ASSERT_TRUE(store_
                  ->Append("globex", "o-1", store::ExpectedVersion::Any(),
                           {std::move(other)})
                  .ok());
  const int64_t last = AppendOrderEvent("order.created", "o-1");
  WaitHandled(last);
  // globex's order.paid did not reach acme's instance (nor start its own).
  EXPECT_EQ(boost::json::serialize(StateOf("o-1")),
            R"({"seen":["order.created"]})");
  EXPECT_EQ(sagas_.Load({"fulfilment", "globex", "o-1"}).status().code(),
            core::StatusCode::kNotFound);
}

TEST_F(SagaTest, EmittedEventsAreAppendedOnceWhenTheCommitIsRetried) {
  FlakySagaStore flaky(/*failures=*/2);
  SagaDefinition d = Definition();
  d.on_event = [this](const core::Event& e, SagaContext& ctx) {
    ++handled_;
    ctx.Emit("fulfilment-" + ctx.id().key,
             core::EventBuilder("fulfilment.started")
                 .Aggregate("fulfilment", ctx.id().key)
                 .CausedBy(e)
                 .BuildValue(ids_, clock_));
    return core::Status::Ok();
  };
  StartSaga(std::move(d), &flaky);
  const int64_t last = AppendOrderEvent("order.created", "o-1");
  WaitHandledWithRetries(last);

  EXPECT_EQ(handled_.load(), 3);  // two failed commits, then one that held
  auto emitted = store_->ReadStream("acme", "fulfilment-o-1", 1, 10);
  ASSERT_TRUE(emitted.ok()) << emitted.status();
  EXPECT_EQ(emitted->size(), 1u);
  EXPECT_GE(saga_->stats().failures, 2);
}

TEST_F(SagaTest, ATimerFiresWhenDueAndNotBefore) {
  SagaDefinition d = Definition();
  std::vector<std::string> fired;
  d.on_event = [](const core::Event&, SagaContext& ctx) {
    ctx.SetTimer("reservation", ctx.now_ms() + 30'000);
    return core::Status::Ok();
  };
  d.on_timer = [&](std::string_view timer, SagaContext& ctx) {
    fired.push_back(std::string(timer) + "@" + ctx.id().key);
    ctx.state()["timedOut"] = true;
    return core::Status::Ok();
  };
  StartSaga(std::move(d));
  WaitHandled(AppendOrderEvent("order.created", "o-1"));

  clock_.Advance(milliseconds(29'999));
  EXPECT_EQ(saga_->FireDueTimers(), 0);
  clock_.Advance(milliseconds(1));
  EXPECT_EQ(saga_->FireDueTimers(), 1);
  EXPECT_EQ(saga_->FireDueTimers(), 0);  // fired once, then gone
  EXPECT_EQ(fired, std::vector<std::string>{"reservation@o-1"});
  EXPECT_TRUE(StateOf("o-1").at("timedOut").as_bool());
  EXPECT_EQ(saga_->stats().timers_fired, 1);
}

TEST_F(SagaTest, AStartedSagaPollsForDueTimersOnItsOwn) {
  SagaDefinition d = Definition();
  std::atomic<int> fired{0};
  d.on_event = [](const core::Event&, SagaContext& ctx) {
    ctx.SetTimer("t", ctx.now_ms() + 1'000);
    return core::Status::Ok();
  };
  d.on_timer = [&](std::string_view, SagaContext&) {
    ++fired;
    return core::Status::Ok();
  };
  StartSaga(std::move(d));
  WaitHandled(AppendOrderEvent("order.created", "o-1"));
  saga_->Start();
  saga_->Start();  // idempotent
  clock_.Advance(milliseconds(1'000));
  ASSERT_TRUE(WaitUntil([&] { return fired.load() == 1; }));
  saga_->Stop();
  EXPECT_EQ(fired.load(), 1);
}

TEST_F(SagaTest, ACancelledOrRescheduledTimerDoesNotFireEarly) {
  SagaDefinition d = Definition();
  int fired = 0;
  d.on_event = [](const core::Event& e, SagaContext& ctx) {
    if (e.event_type == "order.created") {
      ctx.SetTimer("a", ctx.now_ms() + 1'000);
      ctx.SetTimer("b", ctx.now_ms() + 1'000);
    } else {
      ctx.CancelTimer("a");
      ctx.SetTimer("b", ctx.now_ms() + 60'000);
    }
    return core::Status::Ok();
  };
  d.on_timer = [&](std::string_view, SagaContext&) {
    ++fired;
    return core::Status::Ok();
  };
  StartSaga(std::move(d));
  AppendOrderEvent("order.created", "o-1");
  WaitHandled(AppendOrderEvent("order.paid", "o-1"));

  clock_.Advance(milliseconds(2'000));
  EXPECT_EQ(saga_->FireDueTimers(), 0);
  clock_.Advance(milliseconds(60'000));
  EXPECT_EQ(saga_->FireDueTimers(), 1);  // "b", at its new time
  EXPECT_EQ(fired, 1);
}

TEST_F(SagaTest, AFailingTimerIsRetriedWithBackoffAndCounted) {
  SagaDefinition d = Definition();
  int attempts = 0;
  d.on_event = [](const core::Event&, SagaContext& ctx) {
    ctx.SetTimer("t", ctx.now_ms());
    return core::Status::Ok();
  };
  d.on_timer = [&](std::string_view, SagaContext&) {
    ++attempts;
    return attempts < 2 ? core::UnavailableError("orders are down")
                        : core::Status::Ok();
  };
  StartSaga(std::move(d));
  WaitHandled(AppendOrderEvent("order.created", "o-1"));

  EXPECT_EQ(saga_->FireDueTimers(), 0);  // fails; backs off (timer_poll)
  EXPECT_EQ(saga_->FireDueTimers(), 0);  // still backing off: not tried
  EXPECT_EQ(attempts, 1);
  EXPECT_NE(saga_->stats().last_error.find("orders are down"),
            std::string::npos);
  clock_.Advance(milliseconds(1));
  EXPECT_EQ(saga_->FireDueTimers(), 0);  // the backoff is 2 ms
  clock_.Advance(milliseconds(1));
  EXPECT_EQ(saga_->FireDueTimers(), 1);
  EXPECT_EQ(attempts, 2);
}

TEST_F(SagaTest, CompensationRunsRecordedStepsNewestFirstOnce) {
  SagaDefinition d = Definition();
  std::vector<std::string> undone;
  d.on_event = [](const core::Event& e, SagaContext& ctx) {
    if (e.event_type == "order.created") {
      ctx.AddCompensation("release", {{"what", "stock"}});
      ctx.AddCompensation("refund", {{"what", "payment"}});
    } else if (e.event_type == "order.cancelled") {
      ctx.Compensate();
      ctx.Complete();
    }
    return core::Status::Ok();
  };
  auto undo = [&](const boost::json::object& data, SagaContext&) {
    undone.push_back(std::string(data.at("what").as_string()));
    return core::Status::Ok();
  };
  d.compensations = {{"release", undo}, {"refund", undo}};
  StartSaga(std::move(d));
  AppendOrderEvent("order.created", "o-1");
  AppendOrderEvent("order.cancelled", "o-1");
  WaitHandled(AppendOrderEvent("order.cancelled", "o-1"));  // ignored

  EXPECT_EQ(undone, (std::vector<std::string>{"payment", "stock"}));
}

TEST_F(SagaTest, AnUnknownCompensationStepIsPermanent) {
  SagaDefinition d = Definition();
  d.on_event = [](const core::Event& e, SagaContext& ctx) {
    if (e.event_type == "order.created") ctx.AddCompensation("nope", {});
    if (e.event_type == "order.cancelled") ctx.Compensate();
    return core::Status::Ok();
  };
  StartSaga(std::move(d));
  AppendOrderEvent("order.created", "o-1");
  WaitHandled(AppendOrderEvent("order.cancelled", "o-1"));
  auto parked = dead_letters_.List("fulfilment");
  ASSERT_TRUE(parked.ok());
  ASSERT_EQ(parked->size(), 1u);
  EXPECT_NE(parked->front().error.find("no compensation step 'nope'"),
            std::string::npos);
}

TEST_F(SagaTest, OneInstancesEventsFromManyAggregatesAreHandledInLogOrder) {
  // 40 events from 40 aggregates, all correlated to one instance, on 8
  // workers: the instance is the ordering unit, so they apply in log order
  // and none is lost.
  SagaDefinition d = Definition();
  d.starts = [](const core::Event&) { return true; };
  d.on_event = [](const core::Event& e, SagaContext& ctx) {
    auto& seen = ctx.state()["seen"];
    if (!seen.is_array()) seen = boost::json::array();
    seen.as_array().push_back(boost::json::value(e.position));
    std::this_thread::sleep_for(std::chrono::microseconds(200));
    return core::Status::Ok();
  };
  StartSaga(std::move(d), nullptr, /*workers=*/8);
  boost::json::array positions;
  int64_t last = 0;
  for (int i = 0; i < 40; ++i) {
    last =
        AppendOrderEvent("order.paid", "o-1", "payment-" + std::to_string(i));
    positions.push_back(boost::json::value(last));
  }
  WaitHandled(last);
  EXPECT_EQ(StateOf("o-1").at("seen").as_array(), positions);
  EXPECT_EQ(sagas_.Load({"fulfilment", "acme", "o-1"})->version, 40);
  EXPECT_EQ(saga_->stats().conflicts, 0);
}

TEST_F(SagaTest, AStepThatLosesAVersionRaceRunsAgainOnTheNewState) {
  // While the first attempt of a step runs, another writer (a timer step,
  // another process) saves the instance: the step's commit conflicts, and
  // its retry sees that writer's state.
  SagaDefinition d = Definition();
  std::atomic<bool> raced{false};
  d.on_event = [&](const core::Event& e, SagaContext& ctx) {
    if (e.event_type == "order.paid" && !raced.exchange(true)) {
      auto r = sagas_.Load(ctx.id());
      EXPECT_TRUE(r.ok());
      SagaRecord other = *r;
      other.document = R"({"state":{"other":true}})";
      EXPECT_TRUE(runner_
                      .Run([&](Transaction& tx) {
                        return sagas_.Save(tx, other, r->version);
                      })
                      .ok());
    }
    ctx.state()[e.event_type] = true;
    return core::Status::Ok();
  };
  StartSaga(std::move(d));
  AppendOrderEvent("order.created", "o-1");
  WaitHandledWithRetries(AppendOrderEvent("order.paid", "o-1"));
  EXPECT_EQ(boost::json::serialize(StateOf("o-1")),
            R"({"other":true,"order.paid":true})");
  EXPECT_EQ(saga_->stats().conflicts, 1);
}

TEST_F(SagaTest, AMalformedStoredInstanceIsParkedWithItsReason) {
  // Documents the saga did not write (a bad restore, a hand edit): its
  // events are parked with a clear error, the others go on.
  for (const auto& [key, doc] :
       std::vector<std::pair<std::string, std::string>>{
           {"o-1", "not json"},
           {"o-2", R"(["an", "array"])"},
           {"o-3", R"({"timers":{"t":"soon"}})"},
           {"o-4", R"({"compensations":[{"step":1}]})"}}) {
    ASSERT_TRUE(runner_
                    .Run([&](Transaction& tx) {
                      return sagas_.Save(
                          tx,
                          SagaRecord{.id = {"fulfilment", "acme", key},
                                     .document = doc},
                          0);
                    })
                    .ok());
  }
  StartSaga(Definition());
  for (const char* key : {"o-1", "o-2", "o-3", "o-4"}) {
    AppendOrderEvent("order.paid", key);
  }
  WaitHandled(AppendOrderEvent("order.created", "o-5"));

  auto parked = dead_letters_.List("fulfilment");
  ASSERT_TRUE(parked.ok());
  ASSERT_EQ(parked->size(), 4u);
  for (const DeadLetter& d : *parked) {
    EXPECT_NE(d.error.find("has a malformed document"), std::string::npos)
        << d.error;
  }
  EXPECT_EQ(handled_.load(), 1);  // o-5 only
}

TEST_F(SagaTest, ADefinitionWithoutCallbacksIsRefused) {
  SagaDefinition d;
  d.name = "x";
  auto created = Saga::Create(std::move(d), SagaDeps{.events = store_.get(),
                                                     .sagas = &sagas_,
                                                     .transactions = &runner_,
                                                     .clock = &clock_});
  EXPECT_EQ(created.status().code(), core::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace stockpile::runtime
