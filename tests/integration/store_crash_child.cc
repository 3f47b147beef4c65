// Crash-test helper: appends to a SqliteEventStore from 4 threads forever and
// writes "<eventId> <position>\n" to stdout after each acknowledged append.
// The parent (store_crash_test.cc) SIGKILLs it at random moments.
//
// Usage: store_crash_child <database path>
#include <unistd.h>

#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/event.h"
#include "core/uuid.h"
#include "store/sqlite_event_store.h"

namespace {

void WriteAll(const std::string& line) {
  size_t done = 0;
  while (done < line.size()) {
    ssize_t n = write(STDOUT_FILENO, line.data() + done, line.size() - done);
    if (n <= 0) _exit(3);  // the parent went away
    done += static_cast<size_t>(n);
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace stockpile;
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DB\n", argv[0]);
    return 2;
  }
  auto store = store::SqliteEventStore::Open(argv[1]);
  if (!store.ok()) {
    std::fprintf(stderr, "open: %s\n", store.status().ToString().c_str());
    return 1;
  }
  core::SystemClock clock;
  core::UuidV7Generator ids(clock);
  std::mutex out_mu;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const std::string stream = "crash-" + std::to_string(t);
      for (int64_t n = 0;; ++n) {
        std::vector<core::Event> batch;
        for (int i = 0; i < 1 + n % 3; ++i) {
          batch.push_back(core::EventBuilder("test.crash.appended")
                              .Aggregate("crash", stream)
                              .Tenant("acme")
                              .Payload({{"n", n}})
                              .BuildValue(ids, clock));
        }
        auto r = (*store)->Append("acme", stream, store::ExpectedVersion::Any(),
                                  batch);
        if (!r.ok()) {
          std::fprintf(stderr, "append: %s\n", r.status().ToString().c_str());
          _exit(1);
        }
        std::string lines;
        for (const auto& e : r->events) {
          lines += e->event_id + " " + std::to_string(e->position) + "\n";
        }
        std::lock_guard<std::mutex> lock(out_mu);
        WriteAll(lines);
      }
    });
  }
  for (auto& th : threads) th.join();
}
