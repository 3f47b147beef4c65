// TestHttpReceiver: a small HTTP/1.1 server on 127.0.0.1 (an ephemeral
// port) for webhook tests — it records every request it gets and answers
// each with the next status of a script (the last one repeats; a negative
// entry -N answers 200 only after N ms, for timeouts), checking the
// X-Stockpile-Signature header against the secret it was given.
// Test-only; one connection at a time, one request per connection.
//
//   TestHttpReceiver hook("s3cret", {503, 503, 200});
//   ... "http://127.0.0.1:" + std::to_string(hook.port()) + "/hook" ...
//   hook.WaitForRequests(3);
//
// Thread-safety: safe for concurrent use; the accept loop runs on its own
// thread until destruction.
#ifndef STOCKPILE_DOMAIN_NOTIFICATIONS_TEST_HTTP_RECEIVER_H_
#define STOCKPILE_DOMAIN_NOTIFICATIONS_TEST_HTTP_RECEIVER_H_

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "domain/notifications/secret_box.h"

namespace stockpile::domain::testing {

struct ReceivedRequest {
  std::string target;
  std::string body;
  std::string content_type;
  std::string signature;
  bool signature_valid = false;
};

class TestHttpReceiver {
 public:
  explicit TestHttpReceiver(std::string secret,
                            std::vector<int> statuses = {200})
      : secret_(std::move(secret)),
        statuses_(std::move(statuses)),
        acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    thread_ = std::thread([this] { Serve(); });
  }
  ~TestHttpReceiver() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    boost::system::error_code ec;
    // Wake the blocking accept with a connection of our own.
    boost::asio::ip::tcp::socket poke(io_);
    poke.connect(acceptor_.local_endpoint(), ec);
    thread_.join();
  }

  uint16_t port() const { return acceptor_.local_endpoint().port(); }
  std::string url(const std::string& path = "/hook") const {
    return "http://127.0.0.1:" + std::to_string(port()) + path;
  }

  // Waits up to 20 s for `n` requests; returns those seen.
  std::vector<ReceivedRequest> WaitForRequests(size_t n) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(20),
                 [&] { return requests_.size() >= n; });
    return requests_;
  }
  // Waits up to 20 s until `n` requests were answered (or given up on).
  bool WaitForAnswered(size_t n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(20),
                        [&] { return answered_ >= n; });
  }
  std::vector<ReceivedRequest> requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  void Serve() {
    namespace http = boost::beast::http;
    for (;;) {
      boost::asio::ip::tcp::socket socket(io_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      int status = 200;
      {
        std::lock_guard lock(mu_);
        if (stopping_) return;
      }
      if (ec) continue;
      boost::beast::flat_buffer buffer;
      http::request<http::string_body> req;
      http::read(socket, buffer, req, ec);
      if (ec) continue;
      ReceivedRequest r;
      r.target = std::string(req.target());
      r.body = req.body();
      r.content_type = std::string(req[http::field::content_type]);
      r.signature = std::string(req["X-Stockpile-Signature"]);
      r.signature_valid =
          r.signature == notifications::WebhookSignature(secret_, r.body);
      {
        std::lock_guard lock(mu_);
        const size_t i = requests_.size();
        status = statuses_.empty()
                     ? 200
                     : statuses_[std::min(i, statuses_.size() - 1)];
        requests_.push_back(std::move(r));
      }
      cv_.notify_all();
      if (status < 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(-status));
        status = 200;
      }
      http::response<http::string_body> res(static_cast<http::status>(status),
                                            11);
      res.set(http::field::connection, "close");
      res.body() = "ok";
      res.prepare_payload();
      http::write(socket, res, ec);
      socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
      {
        std::lock_guard lock(mu_);
        ++answered_;
      }
      cv_.notify_all();
    }
  }

  const std::string secret_;
  const std::vector<int> statuses_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<ReceivedRequest> requests_;  // GUARDED_BY(mu_)
  size_t answered_ = 0;                    // GUARDED_BY(mu_)
  bool stopping_ = false;                  // GUARDED_BY(mu_)
};

}  // namespace stockpile::domain::testing

#endif  // STOCKPILE_DOMAIN_NOTIFICATIONS_TEST_HTTP_RECEIVER_H_
