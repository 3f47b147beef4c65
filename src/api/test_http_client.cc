#include "api/test_http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace stockpile::api {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

struct TestHttpClient::Impl {
  explicit Impl(std::chrono::milliseconds t) : stream(ioc), timeout(t) {}

  // Runs the io_context until the pending operation completes.
  void Run() {
    ioc.restart();
    ioc.run();
  }

  net::io_context ioc;
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  std::chrono::milliseconds timeout;
  core::Status connect_status;
};

TestHttpClient::TestHttpClient(uint16_t port, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>(timeout)) {
  beast::error_code ec;
  impl_->stream.expires_after(timeout);
  impl_->stream.async_connect(
      net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port),
      [&ec](beast::error_code e) { ec = e; });
  impl_->Run();
  if (ec) impl_->connect_status = core::UnavailableError(ec.message());
}

TestHttpClient::~TestHttpClient() = default;

const core::Status& TestHttpClient::connect_status() const {
  return impl_->connect_status;
}

core::Result<TestResponse> TestHttpClient::Send(std::string_view method,
                                                std::string_view target,
                                                std::string body,
                                                const Headers& headers) {
  http::request<http::string_body> req;
  req.method_string(method);
  req.target(target);
  req.version(11);
  req.set(http::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) req.insert(name, value);
  req.body() = std::move(body);
  req.prepare_payload();
  beast::error_code ec;
  impl_->stream.expires_after(impl_->timeout);
  http::async_write(impl_->stream, req,
                    [&ec](beast::error_code e, size_t) { ec = e; });
  impl_->Run();
  if (ec) return core::UnavailableError("write: " + ec.message());
  return Read();
}

core::Status TestHttpClient::WriteRaw(std::string_view bytes) {
  beast::error_code ec;
  impl_->stream.expires_after(impl_->timeout);
  net::async_write(impl_->stream, net::buffer(bytes.data(), bytes.size()),
                   [&ec](beast::error_code e, size_t) { ec = e; });
  impl_->Run();
  if (ec) return core::UnavailableError("write: " + ec.message());
  return core::Status::Ok();
}

core::Result<TestResponse> TestHttpClient::Read() {
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 << 20);
  beast::error_code ec;
  impl_->stream.expires_after(impl_->timeout);
  http::async_read(impl_->stream, impl_->buffer, parser,
                   [&ec](beast::error_code e, size_t) { ec = e; });
  impl_->Run();
  if (ec) return core::UnavailableError("read: " + ec.message());
  TestResponse out;
  const auto& res = parser.get();
  out.status = static_cast<int>(res.result_int());
  for (const auto& field : res) {
    out.headers.Add(field.name_string(), field.value());
  }
  out.body = res.body();
  out.keep_alive = res.keep_alive();
  return out;
}

bool TestHttpClient::WaitForClose() {
  char byte = 0;
  beast::error_code ec;
  size_t n = 0;
  impl_->stream.expires_after(impl_->timeout);
  impl_->stream.async_read_some(net::buffer(&byte, 1),
                                [&](beast::error_code e, size_t got) {
                                  ec = e;
                                  n = got;
                                });
  impl_->Run();
  return n == 0 && ec && ec != beast::error::timeout;
}

}  // namespace stockpile::api
