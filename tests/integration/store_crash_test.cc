// Crash recovery of SqliteEventStore (issue 3): a child process appends in a
// loop and reports every acknowledged event on a pipe; it is SIGKILLed at
// random moments, then the store must open cleanly and hold every
// acknowledged event exactly once, at the position it was acknowledged with,
// with gap-free positions and contiguous stream versions.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <random>
#include <sstream>
#include <string>

#include "store/sqlite_event_store.h"

namespace stockpile::store {
namespace {

namespace fs = std::filesystem;
constexpr int kCycles = 24;

// Runs the child for `run_for`, kills it, and returns everything it wrote.
std::string RunAndKill(const std::string& db,
                       std::chrono::milliseconds run_for) {
  int fds[2];
  CHECK(pipe(fds) == 0) << "pipe";
  pid_t pid = fork();
  CHECK(pid >= 0) << "fork";
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    execl(STORE_CRASH_CHILD, STORE_CRASH_CHILD, db.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  std::string out;
  char buf[65536];
  const auto deadline = std::chrono::steady_clock::now() + run_for;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fds[0], POLLIN, 0};
    if (poll(&p, 1, 5) > 0) {
      ssize_t n = read(fds[0], buf, sizeof buf);
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  // Whatever was acknowledged before the kill is still in the pipe.
  while (true) {
    ssize_t n = read(fds[0], buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  close(fds[0]);
  EXPECT_TRUE(WIFSIGNALED(status)) << "child exited early, status " << status;
  return out;
}

TEST(StoreCrashTest, AcknowledgedEventsSurviveSigkill) {
  const fs::path dir = fs::temp_directory_path() /
                       ("stockpile-crash-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string db = (dir / "events.db").string();
  std::mt19937 rng(std::random_device{}());
  std::map<std::string, int64_t> acked;  // eventId -> position
  for (int cycle = 0; cycle < kCycles; ++cycle) {
    std::string out =
        RunAndKill(db, std::chrono::milliseconds(30 + rng() % 170));
    std::istringstream lines(out);
    std::string line;
    while (std::getline(lines, line)) {
      if (lines.eof()) break;  // a torn last line was never fully reported
      std::istringstream fields(line);
      std::string id;
      int64_t position = 0;
      fields >> id >> position;
      acked[id] = position;
    }
    auto store = SqliteEventStore::Open(db);
    ASSERT_TRUE(store.ok()) << "cycle " << cycle << ": " << store.status();
    std::map<std::string, int64_t> found;
    std::map<std::string, int64_t> stream_versions;
    int64_t expected_position = 1, after = 0;
    while (true) {
      auto page = (*store)->ReadAll(after, 10000, ReadFilter::AllTenants());
      ASSERT_TRUE(page.ok()) << page.status();
      if (page->events.empty()) break;
      for (const auto& e : page->events) {
        ASSERT_EQ(e->position, expected_position++) << "gap or reordering";
        ASSERT_TRUE(found.emplace(e->event_id, e->position).second)
            << "duplicate " << e->event_id;
        ASSERT_EQ(e->stream_version, ++stream_versions[e->aggregate_id])
            << "stream versions not contiguous";
      }
      after = page->last_scanned_position;
    }
    EXPECT_EQ(*(*store)->HeadPosition(), expected_position - 1);
    for (const auto& [id, position] : acked) {
      auto it = found.find(id);
      ASSERT_NE(it, found.end()) << "acknowledged event lost: " << id;
      ASSERT_EQ(it->second, position) << id;
    }
  }
  EXPECT_GT(acked.size(), 0u);
  std::cout << "crash cycles: " << kCycles
            << ", acknowledged events checked: " << acked.size() << "\n";
  std::error_code ec;
  fs::remove_all(dir, ec);
}

}  // namespace
}  // namespace stockpile::store
