#include "runtime/consumer_stores_conformance.h"

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "core/status_macros.h"
#include "runtime/consumer_test_util.h"
#include "runtime/in_memory_transaction.h"

namespace stockpile::runtime {

using std::chrono::milliseconds;

std::string ConsumerStoresBackendName(
    const ::testing::TestParamInfo<ConsumerStoresBackend>& info) {
  return info.param.name;
}

void ConsumerStoresConformanceTest::SetUp() {
  harness_ = GetParam().make_harness();
  Open();
}

void ConsumerStoresConformanceTest::TearDown() { Close(); }

void ConsumerStoresConformanceTest::Open() {
  core::Status opened = harness_->Open();
  ASSERT_TRUE(opened.ok()) << opened;
  source_ = std::make_unique<StoreEventSource>(harness_->event_store());
}

void ConsumerStoresConformanceTest::Close() {
  consumer_.reset();
  saga_.reset();
  source_.reset();
  harness_->Close();
}

void ConsumerStoresConformanceTest::StartConsumer(Handler handler,
                                                  int workers) {
  ConsumerOptions options;
  options.name = "projection";
  options.handler = std::move(handler);
  options.workers = workers;
  StartConsumer(std::move(options));
}

void ConsumerStoresConformanceTest::StartConsumer(ConsumerOptions options) {
  options.poll_interval = milliseconds(1);
  auto started = Consumer::Start(
      options, ConsumerDeps{.source = source_.get(),
                            .transactions = stores().transactions.get(),
                            .checkpoints = stores().checkpoints.get(),
                            .inbox = stores().inbox.get(),
                            .dead_letters = stores().dead_letters.get(),
                            .clock = &clock_,
                            .jitter = &jitter_});
  ASSERT_TRUE(started.ok()) << started.status();
  consumer_ = std::move(started).value();
}

Handler ConsumerStoresConformanceTest::CountingHandler() {
  return [this](const core::EventPtr& e, HandlerContext& ctx) {
    ctx.AddEffect([this, id = e->event_id](Transaction& tx) {
      return harness_->CountEffect(tx, id);
    });
    return HandlerOutcome::Ok();
  };
}

std::pair<int64_t, int64_t> ConsumerStoresConformanceTest::Effects() {
  auto effects = harness_->Effects();
  EXPECT_TRUE(effects.ok()) << effects.status();
  return effects.ok() ? *effects : std::pair<int64_t, int64_t>{-1, -1};
}

int64_t ConsumerStoresConformanceTest::Append(const std::string& aggregate) {
  return testing::AppendEvent(harness_->event_store(), ids_, clock_, aggregate);
}

core::Status ConsumerStoresConformanceTest::Run(const TransactionWork& work) {
  return stores().transactions->Run(work);
}

namespace {

DeadLetter Record(const std::string& subscription, const std::string& event_id,
                  DeadLetterState state, int64_t first_failed_at_ms) {
  return DeadLetter{
      .id = DeadLetterId(subscription, event_id),
      .subscription = subscription,
      .event_id = event_id,
      .event_type = "order.created",
      .tenant_id = "acme",
      .aggregate_id = "o-1",
      .position = 7,
      .error = "handler said: \"no\"; ünïcode",
      .attempts = 3,
      .first_failed_at_ms = first_failed_at_ms,
      .last_failed_at_ms = first_failed_at_ms + 5,
      .state = state,
      .next_attempt_at_ms =
          state == DeadLetterState::kRetrying ? first_failed_at_ms + 100 : 0,
      .event_json = R"({"eventId":")" + event_id + R"(","payload":{"q":"'"}})",
  };
}

core::Status Put(DeadLetterStore& store, TransactionRunner& runner,
                 const DeadLetter& record) {
  return runner.Run([&](Transaction& tx) { return store.Put(tx, record); });
}

}  // namespace

// --- CheckpointStore ---

TEST_P(ConsumerStoresConformanceTest, CheckpointsStartAtZeroAndNeverMoveBack) {
  CheckpointStore& checkpoints = *stores().checkpoints;
  EXPECT_EQ(*checkpoints.Load("billing"), 0);
  for (int64_t position : {10, 5, 12}) {
    ASSERT_TRUE(Run([&](Transaction& tx) {
                  return checkpoints.Save(tx, "billing", position);
                }).ok());
  }
  EXPECT_EQ(*checkpoints.Load("billing"), 12);
  EXPECT_EQ(*checkpoints.Load("orders"), 0);
}

// --- TransactionRunner ---

TEST_P(ConsumerStoresConformanceTest, FailedWorkCommitsNothing) {
  const DeadLetter record =
      Record("billing", "e-1", DeadLetterState::kParked, 100);
  core::Status status = Run([&](Transaction& tx) -> core::Status {
    RETURN_IF_ERROR(stores().checkpoints->Save(tx, "billing", 7));
    RETURN_IF_ERROR(stores().inbox->Add(tx, "billing", "e-1"));
    RETURN_IF_ERROR(stores().dead_letters->Put(tx, record));
    return core::UnavailableError("effect failed");
  });
  EXPECT_EQ(status, core::UnavailableError("effect failed"));
  EXPECT_EQ(*stores().checkpoints->Load("billing"), 0);
  EXPECT_FALSE(*stores().inbox->Contains("billing", "e-1"));
  EXPECT_EQ(stores().dead_letters->Get(record.id).status().code(),
            core::StatusCode::kNotFound);
}

// The child forks at EXPECT_DEATH and aborts in the CHECK before any I/O.
TEST_P(ConsumerStoresConformanceTest, AnotherBackendsTransactionIsABug) {
  InMemoryTransactionRunner memory;
  EXPECT_DEATH(memory
                   .Run([&](Transaction& tx) {
                     return stores().checkpoints->Save(tx, "billing", 1);
                   })
                   .IgnoreError(),
               "another backend's transaction");
}

// --- InboxStore ---

TEST_P(ConsumerStoresConformanceTest, InboxSeesItsOwnWriteBeforeCommit) {
  InboxStore& inbox = *stores().inbox;
  ASSERT_TRUE(Run([&](Transaction& tx) -> core::Status {
                EXPECT_FALSE(*inbox.Contains(tx, "billing", "e-1"));
                RETURN_IF_ERROR(inbox.Add(tx, "billing", "e-1"));
                EXPECT_TRUE(*inbox.Contains(tx, "billing", "e-1"));
                EXPECT_FALSE(*inbox.Contains("billing", "e-1"));  // committed
                return core::Status::Ok();
              }).ok());
  EXPECT_TRUE(*inbox.Contains("billing", "e-1"));
  EXPECT_FALSE(*inbox.Contains("orders", "e-1"));
}

// A second Add is answered AlreadyExists and leaves the transaction usable:
// the rest of its work still commits.
TEST_P(ConsumerStoresConformanceTest, InboxAddTwiceIsAlreadyExists) {
  InboxStore& inbox = *stores().inbox;
  ASSERT_TRUE(Run([&](Transaction& tx) {
                return inbox.Add(tx, "billing", "e-1");
              }).ok());
  ASSERT_TRUE(Run([&](Transaction& tx) -> core::Status {
                EXPECT_EQ(inbox.Add(tx, "billing", "e-1").code(),
                          core::StatusCode::kAlreadyExists);
                return stores().checkpoints->Save(tx, "billing", 3);
              }).ok());
  EXPECT_EQ(*stores().checkpoints->Load("billing"), 3);
}

TEST_P(ConsumerStoresConformanceTest, ConcurrentAddsOfOneEventRecordItOnce) {
  constexpr int kThreads = 8;
  std::atomic<int> added{0};
  std::atomic<int> already{0};
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      core::Status s = Run([&](Transaction& tx) {
        return stores().inbox->Add(tx, "billing", "e-1");
      });
      if (s.ok()) {
        added.fetch_add(1);
      } else if (s.code() == core::StatusCode::kAlreadyExists) {
        already.fetch_add(1);
      } else {
        ADD_FAILURE() << s;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(added.load(), 1);
  EXPECT_EQ(already.load(), kThreads - 1);
}

// --- DeadLetterStore ---

TEST_P(ConsumerStoresConformanceTest, DeadLetterRoundTripsAndIsReplaced) {
  DeadLetterStore& dlq = *stores().dead_letters;
  DeadLetter record = Record("billing", "e-1", DeadLetterState::kRetrying, 100);
  ASSERT_TRUE(Put(dlq, *stores().transactions, record).ok());
  EXPECT_EQ(*dlq.Get(record.id), record);
  EXPECT_TRUE(dlq.List("billing")->empty());  // retrying: not in the queue
  EXPECT_EQ(*dlq.ListAll("billing"), std::vector<DeadLetter>{record});

  record.state = DeadLetterState::kParked;
  record.attempts = 5;
  record.error = "gave up";
  ASSERT_TRUE(Put(dlq, *stores().transactions, record).ok());
  EXPECT_EQ(*dlq.List("billing"), std::vector<DeadLetter>{record});

  ASSERT_TRUE(Run([&](Transaction& tx) -> core::Status {
                RETURN_IF_ERROR(dlq.Remove(tx, record.id));
                return dlq.Remove(tx, "absent");  // not an error
              }).ok());
  EXPECT_EQ(dlq.Get(record.id).status().code(), core::StatusCode::kNotFound);
}

TEST_P(ConsumerStoresConformanceTest, DeadLettersListOldestFailureFirst) {
  DeadLetterStore& dlq = *stores().dead_letters;
  const DeadLetter late =
      Record("billing", "e-3", DeadLetterState::kParked, 30);
  const DeadLetter early =
      Record("billing", "e-1", DeadLetterState::kParked, 10);
  const DeadLetter middle =
      Record("billing", "e-2", DeadLetterState::kRedriveRequested, 20);
  const DeadLetter retrying =
      Record("billing", "e-4", DeadLetterState::kRetrying, 5);
  const DeadLetter other = Record("orders", "e-1", DeadLetterState::kParked, 1);
  for (const DeadLetter& d : {late, early, middle, retrying, other}) {
    ASSERT_TRUE(Put(dlq, *stores().transactions, d).ok());
  }
  EXPECT_EQ(*dlq.List("billing"),
            (std::vector<DeadLetter>{early, middle, late}));
  EXPECT_EQ(*dlq.ListAll("billing"),
            (std::vector<DeadLetter>{retrying, early, middle, late}));
  EXPECT_EQ(*dlq.List("orders"), std::vector<DeadLetter>{other});
  EXPECT_TRUE(dlq.List("nobody")->empty());
}

TEST_P(ConsumerStoresConformanceTest, RedriveRequestsParkedRecordsOnce) {
  DeadLetterStore& dlq = *stores().dead_letters;
  const DeadLetter parked =
      Record("billing", "e-1", DeadLetterState::kParked, 10);
  const DeadLetter retrying =
      Record("billing", "e-2", DeadLetterState::kRetrying, 20);
  ASSERT_TRUE(Put(dlq, *stores().transactions, parked).ok());
  ASSERT_TRUE(Put(dlq, *stores().transactions, retrying).ok());

  EXPECT_EQ(dlq.RequestRedrive(retrying.id).code(),
            core::StatusCode::kFailedPrecondition);
  EXPECT_EQ(dlq.RequestRedrive("absent").code(), core::StatusCode::kNotFound);
  ASSERT_TRUE(dlq.RequestRedrive(parked.id).ok());
  EXPECT_EQ(dlq.Get(parked.id)->state, DeadLetterState::kRedriveRequested);
  EXPECT_TRUE(dlq.RequestRedrive(parked.id).ok());  // already requested
  EXPECT_EQ(dlq.Get(parked.id)->state, DeadLetterState::kRedriveRequested);
  EXPECT_EQ(dlq.Get(retrying.id)->state, DeadLetterState::kRetrying);
}

TEST_P(ConsumerStoresConformanceTest, RedriveAllCountsParkedRecordsOnly) {
  DeadLetterStore& dlq = *stores().dead_letters;
  for (const DeadLetter& d :
       {Record("billing", "e-1", DeadLetterState::kParked, 10),
        Record("billing", "e-2", DeadLetterState::kParked, 20),
        Record("billing", "e-3", DeadLetterState::kRetrying, 30),
        Record("billing", "e-4", DeadLetterState::kRedriveRequested, 40),
        Record("orders", "e-1", DeadLetterState::kParked, 50)}) {
    ASSERT_TRUE(Put(dlq, *stores().transactions, d).ok());
  }
  EXPECT_EQ(*dlq.RequestRedriveAll("billing"), 2);
  EXPECT_EQ(*dlq.RequestRedriveAll("billing"), 0);
  auto all = dlq.ListAll("billing");
  ASSERT_TRUE(all.ok()) << all.status();
  int requested = 0;
  for (const DeadLetter& d : *all) {
    requested += d.state == DeadLetterState::kRedriveRequested ? 1 : 0;
  }
  EXPECT_EQ(requested, 3);
  EXPECT_EQ(dlq.List("orders")->front().state, DeadLetterState::kParked);
}

TEST_P(ConsumerStoresConformanceTest, DiscardDeletesParkedRecordsOnly) {
  DeadLetterStore& dlq = *stores().dead_letters;
  const DeadLetter parked =
      Record("billing", "e-1", DeadLetterState::kParked, 10);
  const DeadLetter retrying =
      Record("billing", "e-2", DeadLetterState::kRetrying, 20);
  const DeadLetter requested =
      Record("billing", "e-3", DeadLetterState::kRedriveRequested, 30);
  for (const DeadLetter& d : {parked, retrying, requested}) {
    ASSERT_TRUE(Put(dlq, *stores().transactions, d).ok());
  }
  EXPECT_EQ(dlq.Discard(retrying.id).code(),
            core::StatusCode::kFailedPrecondition);
  EXPECT_EQ(dlq.Discard(requested.id).code(),
            core::StatusCode::kFailedPrecondition);
  EXPECT_EQ(dlq.Discard("absent").code(), core::StatusCode::kNotFound);
  ASSERT_TRUE(dlq.Discard(parked.id).ok());
  EXPECT_EQ(dlq.Get(parked.id).status().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(*dlq.ListAll("billing"),
            (std::vector<DeadLetter>{retrying, requested}));
}

// --- Restart ---

TEST_P(ConsumerStoresConformanceTest, EverythingSurvivesReopening) {
  const DeadLetter parked =
      Record("billing", "e-2", DeadLetterState::kParked, 10);
  ASSERT_TRUE(Run([&](Transaction& tx) -> core::Status {
                RETURN_IF_ERROR(stores().checkpoints->Save(tx, "billing", 42));
                RETURN_IF_ERROR(stores().inbox->Add(tx, "billing", "e-1"));
                return stores().dead_letters->Put(tx, parked);
              }).ok());
  Close();
  Open();
  EXPECT_EQ(*stores().checkpoints->Load("billing"), 42);
  EXPECT_TRUE(*stores().inbox->Contains("billing", "e-1"));
  EXPECT_EQ(*stores().dead_letters->List("billing"),
            std::vector<DeadLetter>{parked});
  ASSERT_TRUE(stores().dead_letters->RequestRedrive(parked.id).ok());
}

// --- Through a Consumer ---

TEST_P(ConsumerStoresConformanceTest, RestartLosesNothingAndDoublesNothing) {
  int64_t last = 0;
  for (int i = 0; i < 30; ++i) last = Append("o-" + std::to_string(i % 7));
  StartConsumer(CountingHandler());
  ASSERT_TRUE(consumer_->WaitForCheckpoint(last, milliseconds(20000)));
  Close();

  // Worst case for the inbox: the checkpoint is behind everything that was
  // committed (as after a crash between a commit and the next checkpoint).
  Open();
  ASSERT_TRUE(harness_->RewindCheckpoints(5).ok());
  StartConsumer(CountingHandler());
  for (int i = 0; i < 10; ++i) last = Append("o-" + std::to_string(i % 3));
  ASSERT_TRUE(consumer_->WaitForCheckpoint(last, milliseconds(20000)));
  EXPECT_EQ(consumer_->Stats().duplicates, 25);
  EXPECT_EQ(consumer_->Stats().processed, 10);
  EXPECT_EQ(Effects(), (std::pair<int64_t, int64_t>{40, 40}));
  consumer_->Stop();
  EXPECT_EQ(*stores().checkpoints->Load("projection"), last);
}

TEST_P(ConsumerStoresConformanceTest,
       PendingRetryAndDeadLettersSurviveARestart) {
  const int64_t pos = Append("o-1");
  StartConsumer([](const core::EventPtr&, HandlerContext& ctx) {
    return ctx.attempt() == 1 ? HandlerOutcome::Retryable("timeout")
                              : HandlerOutcome::Permanent("invalid");
  });
  ASSERT_TRUE(
      testing::WaitUntil([&] { return consumer_->Stats().retried == 1; }));
  Close();

  Open();
  auto all = stores().dead_letters->ListAll("projection");
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ(all->front().state, DeadLetterState::kRetrying);
  EXPECT_EQ(all->front().next_attempt_at_ms, clock_.NowMillis() + 500);
  EXPECT_TRUE(stores().dead_letters->List("projection")->empty());

  StartConsumer([](const core::EventPtr&, HandlerContext& ctx) {
    return ctx.attempt() == 2 ? HandlerOutcome::Permanent("invalid")
                              : HandlerOutcome::Ok();
  });
  EXPECT_EQ(consumer_->checkpoint(), pos - 1);
  clock_.Advance(milliseconds(500));
  ASSERT_TRUE(consumer_->WaitForCheckpoint(pos, milliseconds(20000)));
  auto parked = stores().dead_letters->List("projection");
  ASSERT_EQ(parked->size(), 1u);
  EXPECT_EQ(parked->front().attempts, 2);
  EXPECT_EQ(parked->front().error, "invalid");
  EXPECT_EQ(parked->front().state, DeadLetterState::kParked);

  // Redriven after a restart: delivered once (attempt 3 succeeds).
  Close();
  Open();
  StartConsumer(CountingHandler());
  ASSERT_EQ(*consumer_->RedriveAll(), 1);
  ASSERT_TRUE(
      testing::WaitUntil([&] { return consumer_->Stats().processed == 1; }));
  EXPECT_TRUE(stores().dead_letters->ListAll("projection")->empty());
  EXPECT_TRUE(
      *stores().inbox->Contains("projection", parked->front().event_id));
  EXPECT_EQ(Effects(), (std::pair<int64_t, int64_t>{1, 1}));
}

// --- SagaStore ---

TEST_P(ConsumerStoresConformanceTest, SagaSavesAreOptimistic) {
  SagaStore& sagas = *stores().sagas;
  const SagaId id{.saga = "fulfilment", .tenant = "acme", .key = "o-1"};
  EXPECT_EQ(sagas.Load(id).status().code(), core::StatusCode::kNotFound);
  auto save = [&](const std::string& doc, bool completed, int64_t expected) {
    return Run([&](Transaction& tx) {
      return sagas.Save(tx,
                        SagaRecord{.id = id,
                                   .document = doc,
                                   .completed = completed,
                                   .updated_at_ms = 7},
                        expected);
    });
  };
  ASSERT_TRUE(save(R"({"n":1})", false, 0).ok());
  core::Status twice = save(R"({"n":2})", false, 0);
  EXPECT_EQ(twice.code(), core::StatusCode::kConflict) << twice;
  EXPECT_NE(twice.message().find("version 1"), std::string::npos) << twice;
  EXPECT_EQ(save(R"({"n":2})", false, 5).code(), core::StatusCode::kConflict);
  ASSERT_TRUE(save(R"({"n":"ü'2"})", true, 1).ok());
  // A transaction that fails after the save leaves the instance as it was.
  EXPECT_FALSE(Run([&](Transaction& tx) -> core::Status {
                 RETURN_IF_ERROR(sagas.Save(tx, SagaRecord{.id = id}, 2));
                 return core::UnavailableError("boom");
               }).ok());

  auto r = sagas.Load(id);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->version, 2);
  EXPECT_EQ(r->document, R"({"n":"ü'2"})");
  EXPECT_TRUE(r->completed);
  EXPECT_EQ(r->updated_at_ms, 7);
  EXPECT_EQ(sagas.Load({"fulfilment", "globex", "o-1"}).status().code(),
            core::StatusCode::kNotFound);
}

TEST_P(ConsumerStoresConformanceTest, SagaTimersComeDueEarliestFirst) {
  SagaStore& sagas = *stores().sagas;
  const SagaId a{"fulfilment", "acme", "o-1"};
  const SagaId b{"fulfilment", "globex", "o-2"};
  const SagaId other{"billing", "acme", "o-1"};
  ASSERT_TRUE(Run([&](Transaction& tx) -> core::Status {
                RETURN_IF_ERROR(sagas.SetTimer(tx, {a, "x", 300}));
                RETURN_IF_ERROR(sagas.SetTimer(tx, {a, "y", 100}));
                RETURN_IF_ERROR(sagas.SetTimer(tx, {b, "x", 200}));
                RETURN_IF_ERROR(sagas.SetTimer(tx, {other, "x", 50}));
                RETURN_IF_ERROR(sagas.SetTimer(tx, {a, "x", 150}));  // moved
                return sagas.CancelTimer(tx, a, "nothing");
              }).ok());
  auto due = sagas.DueTimers("fulfilment", 200, 10);
  ASSERT_TRUE(due.ok()) << due.status();
  std::vector<std::string> seen;
  for (const SagaTimer& t : *due) {
    seen.push_back(t.id.tenant + "/" + t.id.key + "/" + t.name + "@" +
                   std::to_string(t.due_at_ms));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"acme/o-1/y@100", "acme/o-1/x@150",
                                            "globex/o-2/x@200"}));
  EXPECT_EQ(sagas.DueTimers("fulfilment", 200, 1)->size(), 1u);
  ASSERT_TRUE(
      Run([&](Transaction& tx) { return sagas.CancelTimer(tx, a, "y"); }).ok());
  EXPECT_EQ(sagas.DueTimers("fulfilment", 120, 10)->size(), 0u);
}

TEST_P(ConsumerStoresConformanceTest, SagaTimerFiresOnceAfterARestart) {
  // An instance started by an event sets a timer 30 s out; the process
  // stops; after the restart, once due, the timer fires exactly once and
  // its step's event is in the log once.
  auto make_saga = [&] {
    SagaDefinition d;
    d.name = "fulfilment";
    d.type_patterns = {"order.created"};
    d.correlate = [](const core::Event& e) { return e.aggregate_id; };
    d.starts = [](const core::Event&) { return true; };
    d.on_event = [](const core::Event&, SagaContext& ctx) {
      ctx.SetTimer("reservation", ctx.now_ms() + 30'000);
      return core::Status::Ok();
    };
    d.on_timer = [this](std::string_view, SagaContext& ctx) {
      ctx.Emit("timeouts-" + ctx.id().key, core::EventBuilder("order.timed_out")
                                               .Aggregate("order", ctx.id().key)
                                               .Tenant(ctx.id().tenant)
                                               .BuildValue(ids_, clock_));
      ctx.Complete();
      return core::Status::Ok();
    };
    auto created = Saga::Create(
        std::move(d), SagaDeps{.events = &harness_->event_store(),
                               .sagas = stores().sagas.get(),
                               .transactions = stores().transactions.get(),
                               .clock = &clock_});
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? std::move(created).value() : nullptr;
  };
  saga_ = make_saga();
  ASSERT_NE(saga_, nullptr);
  StartConsumer(saga_->Subscription());
  const int64_t pos = Append("o-1");
  ASSERT_TRUE(consumer_->WaitForCheckpoint(pos, milliseconds(20000)));
  EXPECT_EQ(saga_->FireDueTimers(), 0);
  Close();

  clock_.Advance(milliseconds(31'000));
  Open();
  saga_ = make_saga();
  ASSERT_NE(saga_, nullptr);
  EXPECT_EQ(saga_->FireDueTimers(), 1);
  EXPECT_EQ(saga_->FireDueTimers(), 0);
  auto emitted =
      harness_->event_store().ReadStream("acme", "timeouts-o-1", 1, 10);
  ASSERT_TRUE(emitted.ok()) << emitted.status();
  EXPECT_EQ(emitted->size(), 1u);
  auto record = stores().sagas->Load({"fulfilment", "acme", "o-1"});
  ASSERT_TRUE(record.ok());
  EXPECT_TRUE(record->completed);
  Close();
  Open();
  EXPECT_TRUE(
      stores().sagas->DueTimers("fulfilment", clock_.NowMillis(), 10)->empty());
}

}  // namespace stockpile::runtime
