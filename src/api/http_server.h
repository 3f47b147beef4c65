// HttpServer: Stockpile's HTTP/1.1 server (Boost.Beast on Asio). It reads
// requests, hands each complete one to a Dispatcher and writes the answer.
//
//   Router router;                       // routes added by the app
//   AddSystemRoutes(router, {...});      // /health, /metrics, ...
//   Dispatcher dispatcher(router, verifier.get(), clock, &metrics);
//   ASSIGN_OR_RETURN(auto server, HttpServer::Start({.port = 8080},
//   dispatcher));
//   ... server->port() ...
//   server->Stop(std::chrono::seconds(10));   // on SIGTERM
//
// What a client can rely on:
// - `threads` io_contexts, each run by one thread (default: one per core);
//   connections are spread over them round-robin. They only do I/O: each
//   complete request is handed to a pool of `handler_threads` threads, so
//   a handler that blocks (an append waiting for its durable commit) holds
//   up neither other connections nor the parsing of other requests, and
//   many such appends share one group commit. GET and HEAD requests only
//   read (from memory, or a short store read) and are handled on the I/O
//   thread itself, which saves them two thread hand-offs (inline_reads;
//   false sends them to the pool too). handler_threads = 0 runs every
//   handler on the I/O threads.
// - HTTP/1.1 keep-alive (HTTP/1.0 only with Connection: keep-alive);
//   `Expect: 100-continue` is answered.
// - Limits, each answered rather than hung: a body over max_body_bytes ->
//   413 problem+json (before reading it when Content-Length says so); a
//   request head over max_header_bytes -> 431; unparseable HTTP -> 400. All
//   three close the connection after the answer.
// - Slow clients: the whole request head (and the wait for it on an idle
//   keep-alive connection) must arrive within header_timeout, the body
//   within body_timeout, each response be written within write_timeout;
//   otherwise the connection is closed.
// - Past max_connections, a new connection gets 503 with Retry-After and
//   is closed.
// - A streamed response (Response::stream) is sent chunked and closes the
//   connection when it ends.
// - Stop(grace): stops accepting, closes idle connections, lets requests
//   being handled finish and be written (with Connection: close), ends
//   streams, and after `grace` closes whatever is left. Returns once every
//   thread has finished, handlers included (a handler still running after
//   `grace` is waited for: its connection is already closed). Idempotent; the
//   destructor calls it.
//
// Thread-safety: port(), connections() and Stop() may be called from any
// thread; Stop must not be called from a handler. The Dispatcher must
// outlive the server.
#ifndef STOCKPILE_API_HTTP_SERVER_H_
#define STOCKPILE_API_HTTP_SERVER_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "api/dispatcher.h"
#include "core/result.h"

namespace stockpile::api {

struct HttpServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 8080;  // 0: an ephemeral port, see HttpServer::port()
  int threads = 0;       // io_contexts; 0: one per core
  // Threads that run the Dispatcher. Most of a command's time is spent
  // waiting for the store's group commit, so this is sized for waiting,
  // not for cores.
  int handler_threads = 32;
  // GET and HEAD handled on the I/O thread rather than the pool.
  bool inline_reads = true;
  size_t max_body_bytes = 1 << 20;
  size_t max_header_bytes = 16 * 1024;
  std::chrono::milliseconds header_timeout{15'000};
  std::chrono::milliseconds body_timeout{30'000};
  std::chrono::milliseconds write_timeout{30'000};
  size_t max_connections = 10'000;
  // A streamed response whose client lets more than this queue up is
  // closed (the client is not keeping up).
  size_t max_stream_buffer_bytes = 1 << 20;
  // After an answer that closes the connection, unread request bytes are
  // read and dropped for up to this long so the client sees the answer
  // instead of a reset.
  std::chrono::milliseconds linger_timeout{2'000};
};

class HttpServer {
 public:
  // Binds, listens and starts the threads. Unavailable when the address
  // cannot be bound (e.g. the port is taken); InvalidArgument for a bad
  // address or option.
  static core::Result<std::unique_ptr<HttpServer>> Start(
      HttpServerOptions options, Dispatcher& dispatcher);

  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // The bound port (the ephemeral one when options.port was 0).
  uint16_t port() const;
  // False once Stop has begun.
  bool accepting() const;
  // Open connections (refused ones excluded).
  size_t connections() const;

  void Stop(std::chrono::milliseconds grace = std::chrono::seconds(10));

 private:
  struct Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

}  // namespace stockpile::api

#endif  // STOCKPILE_API_HTTP_SERVER_H_
