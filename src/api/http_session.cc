#include "api/http_session.h"

#include <boost/asio/post.hpp>
#include <exception>
#include <utility>

#include "api/headers.h"

namespace stockpile::api::internal {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// True for errors that mean the bytes received are not HTTP (answered
// with 400), as opposed to the peer going away or a timeout.
bool IsMalformedHttp(const beast::error_code& ec) {
  if (ec.category() !=
      http::make_error_code(http::error::bad_method).category()) {
    return false;
  }
  return ec != http::error::end_of_stream &&
         ec != http::error::partial_message && ec != http::error::need_more &&
         ec != http::error::need_buffer;
}

}  // namespace

// ---- ServerState ----

void ServerState::Register(const std::shared_ptr<Session>& session) {
  std::lock_guard<std::mutex> lock(mu_);
  sessions_[session.get()] = session;
}

void ServerState::Unregister(const Session* session) {
  std::lock_guard<std::mutex> lock(mu_);
  sessions_.erase(session);
  if (sessions_.empty()) empty_cv_.notify_all();
}

size_t ServerState::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return sessions_.size();
}

std::vector<std::shared_ptr<Session>> ServerState::Snapshot() const {
  std::vector<std::shared_ptr<Session>> out;
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [key, weak] : sessions_) {
    if (std::shared_ptr<Session> s = weak.lock()) out.push_back(std::move(s));
  }
  return out;
}

bool ServerState::WaitUntilEmpty(
    std::chrono::steady_clock::time_point deadline) const {
  std::unique_lock<std::mutex> lock(mu_);
  return empty_cv_.wait_until(lock, deadline,
                              [this] { return sessions_.empty(); });
}

void ServerState::RegisterStream(const std::shared_ptr<SessionStream>& stream) {
  std::lock_guard<std::mutex> lock(mu_);
  std::erase_if(streams_, [](const std::weak_ptr<SessionStream>& w) {
    return w.expired();
  });
  streams_.push_back(stream);
}

void ServerState::CloseAllStreams() {
  std::vector<std::shared_ptr<SessionStream>> open;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& weak : streams_) {
      if (auto s = weak.lock()) open.push_back(std::move(s));
    }
    streams_.clear();
  }
  for (const auto& s : open) s->MarkClosed();
}

// ---- SessionStream ----

SessionStream::SessionStream(std::weak_ptr<Session> session,
                             net::any_io_executor executor, size_t max_buffered)
    : session_(std::move(session)),
      executor_(std::move(executor)),
      max_buffered_(max_buffered) {}

bool SessionStream::Write(std::string data) {
  std::vector<std::function<void()>> callbacks;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_ || end_requested_) return false;
    if (data.empty()) return true;  // an empty chunk would end the body
    if (buffered_ + data.size() <= max_buffered_) {
      buffered_ += data.size();
      queue_.push_back(std::move(data));
      PostFlushLocked();
      return true;
    }
    // The client is not keeping up: drop it. Posting is safe while
    // closed_ is false (teardown sets it before destroying executors).
    net::post(executor_, [weak = session_] {
      if (auto s = weak.lock()) s->ForceClose();
    });
    closed_ = true;
    queue_.clear();
    callbacks.swap(on_close_);
  }
  for (auto& cb : callbacks) cb();
  return false;
}

void SessionStream::Close() {
  std::lock_guard<std::mutex> lock(mu_);
  if (closed_ || end_requested_) return;
  end_requested_ = true;
  PostFlushLocked();
}

bool SessionStream::closed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return closed_ || end_requested_;
}

void SessionStream::OnClosed(std::function<void()> callback) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!closed_) {
      on_close_.push_back(std::move(callback));
      return;
    }
  }
  callback();
}

void SessionStream::PostFlushLocked() {
  if (flush_posted_) return;
  flush_posted_ = true;
  net::post(executor_, [weak = session_] {
    if (auto s = weak.lock()) s->FlushStream();
  });
}

bool SessionStream::TakeQueued(std::string& out) {
  std::lock_guard<std::mutex> lock(mu_);
  flush_posted_ = false;
  for (std::string& piece : queue_) out += piece;
  queue_.clear();
  buffered_ = 0;
  return end_requested_;
}

void SessionStream::MarkClosed() {
  std::vector<std::function<void()>> callbacks;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return;
    closed_ = true;
    queue_.clear();
    callbacks.swap(on_close_);
  }
  for (auto& cb : callbacks) cb();
}

// ---- Session ----

Session::Session(tcp::socket socket, ServerState& state)
    : state_(state), stream_(std::move(socket)) {}

Session::~Session() {
  if (response_stream_ != nullptr) response_stream_->MarkClosed();
  if (registered_) state_.Unregister(this);
}

void Session::Start() {
  state_.Register(shared_from_this());
  registered_ = true;
  if (state_.stopping()) return Close();
  ReadHeader();
}

void Session::Refuse() {
  Request request;
  Response response = state_.dispatcher().Refuse(
      request, 503, "the server has too many open connections; retry later");
  WriteResponse(std::move(response), false);
}

void Session::Shutdown() {
  switch (phase_) {
    case Phase::kReading:
      return Close();
    case Phase::kStreaming:
      if (response_stream_ != nullptr) response_stream_->Close();
      return;
    case Phase::kHandling:  // the answer is written with Connection: close
    case Phase::kWriting:   // OnWritten closes once the answer is out
    case Phase::kClosing:
      return;
  }
}

void Session::ForceClose() { Close(); }

void Session::ReadHeader() {
  phase_ = Phase::kReading;
  parser_.emplace();
  parser_->header_limit(
      static_cast<std::uint32_t>(state_.options().max_header_bytes));
  parser_->body_limit(state_.options().max_body_bytes);
  stream_.expires_after(state_.options().header_timeout);
  http::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, size_t) {
        self->OnHeader(ec);
      });
}

void Session::OnHeader(beast::error_code ec) {
  const HttpServerOptions& options = state_.options();
  if (ec == http::error::body_limit) {
    return RefuseRequest(413, "the request body is larger than " +
                                  std::to_string(options.max_body_bytes) +
                                  " bytes");
  }
  if (ec == http::error::header_limit) {
    return RefuseRequest(431, "the request head is larger than " +
                                  std::to_string(options.max_header_bytes) +
                                  " bytes");
  }
  if (ec) {
    if (IsMalformedHttp(ec)) {
      return RefuseRequest(400, "malformed HTTP request: " + ec.message());
    }
    return Close();
  }
  if (state_.stopping()) {
    return RefuseRequest(503, "the server is shutting down");
  }
  if (parser_->is_done()) return Handle();
  const auto& request = parser_->get();
  auto expect = request.find(http::field::expect);
  if (expect != request.end() &&
      EqualsIgnoreCase(expect->value(), "100-continue")) {
    static constexpr std::string_view kContinue =
        "HTTP/1.1 100 Continue\r\n\r\n";
    stream_.expires_after(options.write_timeout);
    net::async_write(
        stream_, net::buffer(kContinue.data(), kContinue.size()),
        [self = shared_from_this()](beast::error_code write_ec, size_t) {
          if (write_ec) return self->Close();
          self->ReadBody();
        });
    return;
  }
  ReadBody();
}

void Session::ReadBody() {
  stream_.expires_after(state_.options().body_timeout);
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code ec, size_t) {
                     self->OnBody(ec);
                   });
}

void Session::OnBody(beast::error_code ec) {
  if (ec == http::error::body_limit) {
    return RefuseRequest(
        413, "the request body is larger than " +
                 std::to_string(state_.options().max_body_bytes) + " bytes");
  }
  if (ec) {
    if (IsMalformedHttp(ec)) {
      return RefuseRequest(400, "malformed HTTP request: " + ec.message());
    }
    return Close();
  }
  Handle();
}

Request Session::WireRequest() {
  Request request;
  if (!parser_.has_value() || !parser_->is_header_done()) return request;
  auto& wire = parser_->get();
  request.method = std::string(wire.method_string());
  request.target = std::string(wire.target());
  for (const auto& field : wire) {
    request.headers.Add(field.name_string(), field.value());
  }
  if (parser_->is_done()) request.body = std::move(wire.body());
  return request;
}

void Session::Handle() {
  phase_ = Phase::kHandling;
  const bool keep_alive = parser_->get().keep_alive();
  Request request = WireRequest();
  net::thread_pool* pool = state_.handler_pool();
  const bool read = request.method == "GET" || request.method == "HEAD";
  if (pool == nullptr || (read && state_.options().inline_reads)) {
    return OnHandled(state_.dispatcher().Dispatch(request), keep_alive);
  }
  // Only the moved-out request and the dispatcher are used off this
  // session's thread; the answer comes back through its executor.
  net::post(*pool, [self = shared_from_this(), ex = executor(),
                    request = std::move(request), keep_alive]() mutable {
    Response response = self->state_.dispatcher().Dispatch(request);
    net::post(ex, [self = std::move(self), response = std::move(response),
                   keep_alive]() mutable {
      self->OnHandled(std::move(response), keep_alive);
    });
  });
}

void Session::OnHandled(Response response, bool keep_alive) {
  if (phase_ == Phase::kClosing) return;  // force-closed while handling
  if (response.stream) return StartStream(std::move(response));
  WriteResponse(std::move(response), keep_alive && !state_.stopping());
}

void Session::RefuseRequest(int http_status, std::string detail) {
  Request request = WireRequest();
  Response response =
      state_.dispatcher().Refuse(request, http_status, std::move(detail));
  WriteResponse(std::move(response), false);
}

void Session::WriteResponse(Response response, bool keep_alive) {
  phase_ = Phase::kWriting;
  response_ = {};
  response_.version(parser_.has_value() && parser_->is_header_done()
                        ? parser_->get().version()
                        : 11);
  response_.result(static_cast<unsigned>(response.status));
  for (const auto& [name, value] : response.headers) {
    response_.insert(name, value);
  }
  response_.body() = std::move(response.body);
  response_.keep_alive(keep_alive);
  response_.prepare_payload();
  stream_.expires_after(state_.options().write_timeout);
  http::async_write(
      stream_, response_,
      [self = shared_from_this(), keep_alive](beast::error_code ec, size_t) {
        self->OnWritten(keep_alive, ec);
      });
}

void Session::OnWritten(bool keep_alive, beast::error_code ec) {
  if (ec) return Close();
  if (!keep_alive || state_.stopping()) return LingerAndClose();
  ReadHeader();
}

void Session::LingerAndClose() {
  phase_ = Phase::kClosing;
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (ec) return Close();
  drain_.resize(16 * 1024);
  stream_.expires_after(state_.options().linger_timeout);
  struct Drain {
    std::shared_ptr<Session> self;
    void operator()(beast::error_code read_ec, size_t) {
      if (read_ec) return self->Close();
      Session* s = self.get();
      s->stream_.async_read_some(net::buffer(s->drain_), std::move(*this));
    }
  };
  stream_.async_read_some(net::buffer(drain_), Drain{shared_from_this()});
}

void Session::Close() {
  phase_ = Phase::kClosing;
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
  stream_.close();
  if (response_stream_ != nullptr) response_stream_->MarkClosed();
}

// ---- streamed responses ----

void Session::StartStream(Response response) {
  phase_ = Phase::kStreaming;
  stream_starter_ = std::move(response.stream);
  stream_head_ = {};
  stream_head_.version(parser_->get().version());
  stream_head_.result(static_cast<unsigned>(response.status));
  for (const auto& [name, value] : response.headers) {
    stream_head_.insert(name, value);
  }
  stream_head_.keep_alive(false);
  stream_head_.chunked(true);
  stream_serializer_.emplace(stream_head_);
  stream_.expires_after(state_.options().write_timeout);
  http::async_write_header(
      stream_, *stream_serializer_,
      [self = shared_from_this()](beast::error_code ec, size_t) {
        if (ec) return self->Close();
        self->stream_.expires_never();
        self->response_stream_ = std::make_shared<SessionStream>(
            self->weak_from_this(), self->executor(),
            self->state_.options().max_stream_buffer_bytes);
        self->state_.RegisterStream(self->response_stream_);
        self->WatchStreamPeer();
        StreamStarter starter = std::move(self->stream_starter_);
        try {
          starter(self->response_stream_);
        } catch (const std::exception&) {
          self->response_stream_->Close();
        }
        if (self->state_.stopping()) self->response_stream_->Close();
      });
}

void Session::WatchStreamPeer() {
  // The client sends nothing during a stream; a completed read means it
  // closed the connection (or broke protocol), so the stream ends.
  stream_.async_read_some(
      net::buffer(&peer_byte_, 1),
      [self = shared_from_this()](beast::error_code ec, size_t) {
        if (self->phase_ == Phase::kClosing) return;
        if (ec) return self->Close();
        self->WatchStreamPeer();
      });
}

void Session::FlushStream() {
  if (phase_ != Phase::kStreaming || chunk_in_flight_) return;
  std::string out;
  const bool end = response_stream_->TakeQueued(out);
  if (out.empty()) {
    if (end) EndStream();
    return;
  }
  sending_ = std::move(out);
  chunk_in_flight_ = true;
  stream_.expires_after(state_.options().write_timeout);
  net::async_write(
      stream_, http::make_chunk(net::buffer(sending_)),
      [self = shared_from_this(), end](beast::error_code ec, size_t) {
        self->chunk_in_flight_ = false;
        if (ec) return self->Close();
        if (end) return self->EndStream();
        self->FlushStream();
      });
}

void Session::EndStream() {
  chunk_in_flight_ = true;
  stream_.expires_after(state_.options().write_timeout);
  net::async_write(stream_, http::make_chunk_last(),
                   [self = shared_from_this()](beast::error_code, size_t) {
                     self->Close();
                   });
}

}  // namespace stockpile::api::internal
