// Crash test: a child process appends in a loop and reports every
// acknowledged append on a pipe; the parent SIGKILLs it at random moments.
// After each kill, every acknowledged event must be stored exactly once at
// the position it was acknowledged with, positions must run 1..head
// without a gap, and the store must open cleanly.
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "store/postgres_event_store.h"
#include "store/postgres_test_harness.h"

namespace stockpile::store {
namespace {

constexpr int kCycles = 20;
constexpr int kChildWriters = 4;

// The child: appends until killed (or 60 s, a safety bound), writing
// "<eventId> <position>\n" for each acknowledged event.
[[noreturn]] void ChildAppends(const std::string& url, int out_fd,
                               unsigned seed) {
  auto store = MakePostgresEventStore(url);
  if (!store.ok()) _exit(3);
  core::SystemClock clock;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(60);
  std::vector<std::thread> writers;
  for (int w = 0; w < kChildWriters; ++w) {
    writers.emplace_back([&, w] {
      core::UuidV7Generator ids(clock);
      std::mt19937 rng(seed + static_cast<unsigned>(w));
      while (std::chrono::steady_clock::now() < deadline) {
        std::vector<core::Event> batch;
        const int n = 1 + static_cast<int>(rng() % 5);
        for (int i = 0; i < n; ++i) {
          batch.push_back(core::EventBuilder("test.crash.appended")
                              .Aggregate("thing", "t")
                              .Tenant("acme")
                              .Payload({{"n", i}})
                              .BuildValue(ids, clock));
        }
        auto r = (*store)->Append("acme", "s-" + std::to_string(rng() % 8),
                                  ExpectedVersion::Any(), std::move(batch));
        if (!r.ok()) _exit(4);
        std::string lines;
        for (const auto& e : r->events) {
          lines += e->event_id + " " + std::to_string(e->position) + "\n";
        }
        // One write per append (< PIPE_BUF): never interleaved.
        if (write(out_fd, lines.data(), lines.size()) < 0) _exit(5);
      }
    });
  }
  for (auto& t : writers) t.join();
  _exit(0);
}

// Reads what the child reported until `until`, or until EOF.
void ReadAcks(int fd, std::chrono::steady_clock::time_point until,
              std::string& buffer) {
  char chunk[4096];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(std::max<int64_t>(left.count(), 0))) <=
        0) {
      return;
    }
    const ssize_t n = read(fd, chunk, sizeof chunk);
    if (n <= 0) return;
    buffer.append(chunk, static_cast<size_t>(n));
  }
}

TEST(PostgresEventStoreCrashTest, AcknowledgedAppendsSurviveSigkill) {
  PostgresHarness harness;
  ASSERT_FALSE(harness.url().empty());
  ASSERT_TRUE(harness.Open({}).ok());  // migrate before the first child
  std::mt19937 rng(std::random_device{}());
  std::map<std::string, int64_t> acked;  // eventId -> position
  for (int cycle = 0; cycle < kCycles; ++cycle) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      close(fds[0]);
      ChildAppends(harness.url(), fds[1], rng());
    }
    close(fds[1]);
    std::string reported;
    const auto kill_at = std::chrono::steady_clock::now() +
                         std::chrono::milliseconds(100 + rng() % 400);
    ReadAcks(fds[0], kill_at, reported);
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    // Acks written before the kill are still in the pipe.
    ReadAcks(fds[0], std::chrono::steady_clock::now(), reported);
    close(fds[0]);
    ASSERT_TRUE(WIFSIGNALED(status)) << "child exited early: " << status;
    std::istringstream lines(reported);
    std::string id;
    int64_t position = 0;
    while (lines >> id >> position) acked[id] = position;

    auto store = harness.Open({});
    ASSERT_TRUE(store.ok()) << "cycle " << cycle << ": " << store.status();
    const int64_t head = *(*store)->HeadPosition();
    std::map<std::string, int64_t> stored;
    int64_t expected_position = 1;
    for (int64_t after = 0; after < head;) {
      auto page = (*store)->ReadAll(after, 4096, ReadFilter::AllTenants());
      ASSERT_TRUE(page.ok()) << page.status();
      ASSERT_FALSE(page->events.empty());
      for (const auto& e : page->events) {
        ASSERT_EQ(e->position, expected_position++) << "gap in the log";
        ASSERT_TRUE(stored.emplace(e->event_id, e->position).second)
            << "event " << e->event_id << " stored twice";
      }
      after = page->last_scanned_position;
    }
    ASSERT_EQ(expected_position - 1, head);
    for (const auto& [event_id, at] : acked) {
      auto it = stored.find(event_id);
      ASSERT_NE(it, stored.end()) << "acknowledged event lost: " << event_id;
      ASSERT_EQ(it->second, at) << "event moved: " << event_id;
    }
  }
  EXPECT_GT(acked.size(), 0u);
}

}  // namespace
}  // namespace stockpile::store
