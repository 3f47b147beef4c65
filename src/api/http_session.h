// Internal to HttpServer: one TCP connection (Session), the state it shares
// with the server (ServerState) and the ResponseStream it hands to
// streaming handlers (SessionStream). Includes Beast; only
// http_server.cc and http_session.cc include this header.
//
// A Session lives on one io_context and is touched only by that context's
// thread, except SessionStream, which any thread may write to: it queues
// under its own mutex and posts the flush to the session's executor. A
// request is dispatched on the server's handler pool (when it has one)
// with the Request moved out of the session; the Response is posted back
// to the session's executor.
// Lifetime: a Session is owned by the shared_ptrs in its pending
// operations; the ServerState registry holds weak_ptrs only.
#ifndef STOCKPILE_API_HTTP_SESSION_H_
#define STOCKPILE_API_HTTP_SESSION_H_

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "api/dispatcher.h"
#include "api/http_server.h"
#include "api/response_stream.h"

namespace stockpile::api::internal {

class Session;
class SessionStream;

// What the server and its sessions share. Outlives every Session.
class ServerState {
 public:
  ServerState(HttpServerOptions options, Dispatcher& dispatcher)
      : options_(std::move(options)), dispatcher_(dispatcher) {}

  const HttpServerOptions& options() const { return options_; }
  Dispatcher& dispatcher() const { return dispatcher_; }

  // Where requests are dispatched; null: on the session's own thread. Set
  // once before the first session starts; the pool outlives the sessions'
  // use of it (HttpServer::Stop joins it before stopping the io_contexts).
  boost::asio::thread_pool* handler_pool() const { return handler_pool_; }
  void set_handler_pool(boost::asio::thread_pool* pool) {
    handler_pool_ = pool;
  }

  bool stopping() const { return stopping_.load(std::memory_order_acquire); }
  void BeginStop() { stopping_.store(true, std::memory_order_release); }

  void Register(const std::shared_ptr<Session>& session);
  void Unregister(const Session* session);
  size_t size() const;
  std::vector<std::shared_ptr<Session>> Snapshot() const;
  // True when no session is left by `deadline`.
  bool WaitUntilEmpty(std::chrono::steady_clock::time_point deadline) const;

  // Streams are tracked so teardown can close them before the io_contexts
  // they post to are destroyed (they may outlive their sessions).
  void RegisterStream(const std::shared_ptr<SessionStream>& stream);
  void CloseAllStreams();

 private:
  // Immutable after construction.
  const HttpServerOptions options_;
  Dispatcher& dispatcher_;
  boost::asio::thread_pool* handler_pool_ = nullptr;

  std::atomic<bool> stopping_{false};
  mutable std::mutex mu_;
  mutable std::condition_variable empty_cv_;
  std::unordered_map<const Session*, std::weak_ptr<Session>>
      sessions_;                                       // guarded by mu_
  std::vector<std::weak_ptr<SessionStream>> streams_;  // guarded by mu_
};

// The ResponseStream of one streamed response.
class SessionStream final : public ResponseStream {
 public:
  SessionStream(std::weak_ptr<Session> session,
                boost::asio::any_io_executor executor, size_t max_buffered);

  bool Write(std::string data) override;
  void Close() override;
  bool closed() const override;
  void OnClosed(std::function<void()> callback) override;

  // Session side. Moves everything queued into `out`; returns true when
  // the writer asked to end the body and nothing is left queued.
  bool TakeQueued(std::string& out);
  // No more writes; runs the OnClosed callbacks (on this thread, unlocked).
  void MarkClosed();

 private:
  void PostFlushLocked();  // requires mu_

  // Immutable after construction.
  const std::weak_ptr<Session> session_;
  const boost::asio::any_io_executor executor_;
  const size_t max_buffered_;

  mutable std::mutex mu_;
  bool closed_ = false;            // guarded by mu_; no more writes, no posts
  bool end_requested_ = false;     // guarded by mu_
  bool flush_posted_ = false;      // guarded by mu_
  size_t buffered_ = 0;            // guarded by mu_
  std::deque<std::string> queue_;  // guarded by mu_
  std::vector<std::function<void()>> on_close_;  // guarded by mu_
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(boost::asio::ip::tcp::socket socket, ServerState& state);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Each runs on the session's executor.
  void Start();        // registers and reads the first request
  void Refuse();       // answers 503 (connection limit) and closes
  void Shutdown();     // server stop: close when idle, else finish first
  void ForceClose();   // server stop after the grace period
  void FlushStream();  // sends what the SessionStream queued

  boost::asio::any_io_executor executor() { return stream_.get_executor(); }

 private:
  enum class Phase { kReading, kHandling, kWriting, kStreaming, kClosing };

  void ReadHeader();
  void OnHeader(boost::beast::error_code ec);
  void ReadBody();
  void OnBody(boost::beast::error_code ec);
  void Handle();
  void OnHandled(Response response, bool keep_alive);
  void RefuseRequest(int http_status, std::string detail);
  void WriteResponse(Response response, bool keep_alive);
  void OnWritten(bool keep_alive, boost::beast::error_code ec);
  void StartStream(Response response);
  void WatchStreamPeer();
  void EndStream();
  void LingerAndClose();
  void Close();
  Request WireRequest();

  ServerState& state_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<
      boost::beast::http::request_parser<boost::beast::http::string_body>>
      parser_;
  boost::beast::http::response<boost::beast::http::string_body> response_;
  boost::beast::http::response<boost::beast::http::empty_body> stream_head_;
  std::optional<
      boost::beast::http::response_serializer<boost::beast::http::empty_body>>
      stream_serializer_;
  std::shared_ptr<SessionStream> response_stream_;
  StreamStarter stream_starter_;
  std::string sending_;  // the chunk being written
  bool chunk_in_flight_ = false;
  char peer_byte_ = 0;
  std::vector<char> drain_;
  Phase phase_ = Phase::kReading;
  bool registered_ = false;
};

}  // namespace stockpile::api::internal

#endif  // STOCKPILE_API_HTTP_SESSION_H_
