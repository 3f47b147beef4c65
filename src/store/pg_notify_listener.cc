#include "store/pg_notify_listener.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <utility>

#include "core/status_macros.h"
#include "store/pg_connection.h"

namespace stockpile::store {

namespace {

constexpr int kPollMillis = 1000;
constexpr std::chrono::milliseconds kMaxBackoff(2000);

core::Result<std::unique_ptr<PgConnection>> ConnectAndListen(
    const std::string& conninfo, const std::string& channel) {
  ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> conn,
                   PgConnection::Connect(conninfo));
  RETURN_IF_ERROR(conn->Listen(channel));
  return conn;
}

}  // namespace

struct PgNotifyListener::State {
  std::string conninfo;
  std::string channel;
  CommitSignal& signal;
  std::unique_ptr<PgConnection> conn;  // used only by the thread
  int wake_fd;                         // eventfd: written to stop the thread
  std::atomic<bool> stop{false};

  ~State() { close(wake_fd); }
};

core::Result<std::unique_ptr<PgNotifyListener>> PgNotifyListener::Start(
    std::string conninfo, std::string channel, CommitSignal& signal) {
  ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> conn,
                   ConnectAndListen(conninfo, channel));
  const int fd = eventfd(0, EFD_CLOEXEC);
  if (fd < 0) return core::InternalError("eventfd failed");
  auto state = std::unique_ptr<State>(new State{
      std::move(conninfo), std::move(channel), signal, std::move(conn), fd});
  return std::unique_ptr<PgNotifyListener>(
      new PgNotifyListener(std::move(state)));
}

PgNotifyListener::PgNotifyListener(std::unique_ptr<State> state)
    : state_(std::move(state)), thread_([s = state_.get()] { Run(*s); }) {}

PgNotifyListener::~PgNotifyListener() {
  state_->stop.store(true);
  const uint64_t one = 1;
  if (write(state_->wake_fd, &one, sizeof one) < 0) {
    // The thread still sees stop within kPollMillis.
  }
  thread_.join();
}

void PgNotifyListener::Run(State& state) {
  std::chrono::milliseconds backoff(50);
  while (!state.stop.load()) {
    if (state.conn == nullptr || state.conn->broken()) {
      state.conn.reset();
      auto conn = ConnectAndListen(state.conninfo, state.channel);
      if (!conn.ok()) {
        pollfd wake{state.wake_fd, POLLIN, 0};
        poll(&wake, 1, static_cast<int>(backoff.count()));
        backoff = std::min(backoff * 2, kMaxBackoff);
        continue;
      }
      state.conn = std::move(conn).value();
      backoff = std::chrono::milliseconds(50);
      // Commits may have happened while disconnected.
      state.signal.Notify();
    }
    pollfd fds[2] = {{state.conn->socket(), POLLIN, 0},
                     {state.wake_fd, POLLIN, 0}};
    if (poll(fds, 2, kPollMillis) <= 0 || fds[1].revents != 0) continue;
    if (state.conn->DrainNotifications() != 0) state.signal.Notify();
  }
}

}  // namespace stockpile::store
