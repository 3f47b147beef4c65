#include "api/http_server.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <future>
#include <thread>
#include <utility>
#include <vector>

#include "api/http_session.h"

namespace stockpile::api {

namespace net = boost::asio;
using tcp = net::ip::tcp;

struct HttpServer::Impl {
  Impl(HttpServerOptions opts, Dispatcher& dispatcher)
      : state(std::move(opts), dispatcher) {}

  void Accept();
  void OnAccept(boost::system::error_code ec, tcp::socket socket);

  // Declared first so it outlives the io_contexts and the sessions their
  // queued handlers own.
  internal::ServerState state;
  std::vector<std::unique_ptr<net::io_context>> contexts;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> work;
  std::unique_ptr<tcp::acceptor> acceptor;          // runs on contexts[0]
  std::unique_ptr<net::steady_timer> accept_retry;  // on contexts[0]
  std::vector<std::thread> threads;
  // Declared after the io_contexts: destroyed first (it is joined in Stop
  // before they stop, so the answers it posts are still delivered).
  std::unique_ptr<net::thread_pool> handlers;
  uint16_t port = 0;
  size_t next_context = 0;  // used only on contexts[0]'s thread

  std::atomic<bool> accepting{true};
  std::mutex stop_mu;
  bool stopped = false;  // guarded by stop_mu
};

void HttpServer::Impl::Accept() {
  net::io_context& target = *contexts[next_context];
  next_context = (next_context + 1) % contexts.size();
  acceptor->async_accept(
      target, [this](boost::system::error_code ec, tcp::socket socket) {
        OnAccept(ec, std::move(socket));
      });
}

void HttpServer::Impl::OnAccept(boost::system::error_code ec,
                                tcp::socket socket) {
  if (ec == net::error::operation_aborted || !accepting.load()) return;
  if (ec) {
    // Out of descriptors or similar: back off briefly instead of spinning.
    accept_retry->expires_after(std::chrono::milliseconds(50));
    accept_retry->async_wait([this](boost::system::error_code wait_ec) {
      if (!wait_ec && accepting.load()) Accept();
    });
    return;
  }
  socket.set_option(tcp::no_delay(true), ec);
  auto session = std::make_shared<internal::Session>(std::move(socket), state);
  const bool over_limit = state.size() >= state.options().max_connections;
  net::dispatch(session->executor(), [session, over_limit] {
    if (over_limit) {
      session->Refuse();
    } else {
      session->Start();
    }
  });
  Accept();
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() { Stop(); }

core::Result<std::unique_ptr<HttpServer>> HttpServer::Start(
    HttpServerOptions options, Dispatcher& dispatcher) {
  if (options.max_connections == 0 || options.max_body_bytes == 0 ||
      options.max_header_bytes == 0 || options.threads < 0 ||
      options.handler_threads < 0) {
    return core::InvalidArgumentError(
        "HTTP server limits and thread count must be positive");
  }
  boost::system::error_code ec;
  const net::ip::address address = net::ip::make_address(options.address, ec);
  if (ec) {
    return core::InvalidArgumentError("bad HTTP listen address '" +
                                      options.address + "'");
  }
  int threads = options.threads;
  if (threads == 0) {
    threads =
        static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }
  const tcp::endpoint endpoint(address, options.port);
  auto impl = std::make_unique<Impl>(std::move(options), dispatcher);
  for (int i = 0; i < threads; ++i) {
    impl->contexts.push_back(std::make_unique<net::io_context>(1));
    impl->work.push_back(net::make_work_guard(*impl->contexts.back()));
  }
  impl->acceptor = std::make_unique<tcp::acceptor>(*impl->contexts[0]);
  impl->accept_retry = std::make_unique<net::steady_timer>(*impl->contexts[0]);
  tcp::acceptor& acceptor = *impl->acceptor;
  if (acceptor.open(endpoint.protocol(), ec) ||
      acceptor.set_option(net::socket_base::reuse_address(true), ec) ||
      acceptor.bind(endpoint, ec) ||
      acceptor.listen(net::socket_base::max_listen_connections, ec)) {
    return core::UnavailableError(
        "cannot listen on " + endpoint.address().to_string() + ":" +
        std::to_string(endpoint.port()) + ": " + ec.message());
  }
  impl->port = acceptor.local_endpoint().port();
  if (impl->state.options().handler_threads > 0) {
    impl->handlers = std::make_unique<net::thread_pool>(
        static_cast<size_t>(impl->state.options().handler_threads));
    impl->state.set_handler_pool(impl->handlers.get());
  }
  Impl* raw = impl.get();
  net::dispatch(*impl->contexts[0], [raw] { raw->Accept(); });
  for (auto& context : impl->contexts) {
    net::io_context* ctx = context.get();
    impl->threads.emplace_back([ctx] { ctx->run(); });
  }
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

uint16_t HttpServer::port() const { return impl_->port; }

bool HttpServer::accepting() const { return impl_->accepting.load(); }

size_t HttpServer::connections() const { return impl_->state.size(); }

void HttpServer::Stop(std::chrono::milliseconds grace) {
  Impl& impl = *impl_;
  std::lock_guard<std::mutex> lock(impl.stop_mu);
  if (impl.stopped) return;
  impl.stopped = true;
  const auto deadline = std::chrono::steady_clock::now() + grace;

  // 1. Stop accepting; wait until the acceptor is really closed so no
  //    session can be created after the snapshot below goes unnoticed.
  impl.state.BeginStop();
  impl.accepting.store(false);
  auto closed = std::make_shared<std::promise<void>>();
  std::future<void> acceptor_closed = closed->get_future();
  net::post(*impl.contexts[0], [&impl, closed] {
    boost::system::error_code ignored;
    impl.acceptor->close(ignored);
    impl.accept_retry->cancel();
    closed->set_value();
  });
  acceptor_closed.wait_until(deadline);

  // 2. Idle connections close now; busy ones after their answer.
  for (const auto& session : impl.state.Snapshot()) {
    net::post(session->executor(), [session] { session->Shutdown(); });
  }
  if (!impl.state.WaitUntilEmpty(deadline)) {
    for (const auto& session : impl.state.Snapshot()) {
      net::post(session->executor(), [session] { session->ForceClose(); });
    }
    impl.state.WaitUntilEmpty(std::chrono::steady_clock::now() +
                              std::chrono::seconds(1));
  }

  // 3. Handlers still running (their connections are closed by now) post
  //    their answers to live io_contexts; streams handed to other threads
  //    must stop posting before the io_contexts go away; then stop the
  //    threads.
  if (impl.handlers != nullptr) impl.handlers->join();
  impl.state.CloseAllStreams();
  impl.work.clear();
  for (auto& context : impl.contexts) context->stop();
  for (std::thread& t : impl.threads) t.join();
  impl.threads.clear();
}

}  // namespace stockpile::api
