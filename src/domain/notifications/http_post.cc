#include "domain/notifications/http_post.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace stockpile::domain::notifications {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::string HostOnly(const std::string& host) {
  if (host.size() >= 2 && host.front() == '[') {
    return host.substr(1, host.size() - 2);
  }
  return host;
}

}  // namespace

core::Result<int> HttpPost(const HttpUrl& url, const std::string& body,
                           const HttpHeaderList& headers,
                           const HttpPostOptions& options) {
  asio::io_context io;
  tcp::resolver resolver(io);
  beast::tcp_stream stream(io);
  beast::flat_buffer buffer;
  http::request<http::string_body> request(http::verb::post, url.target, 11);
  http::response<http::string_body> response;
  const std::string where = url.host + ":" + std::to_string(url.port);
  std::string failure;
  auto fail = [&](std::string_view what, beast::error_code ec) {
    if (failure.empty()) {
      failure = std::string(what) + " " + where + ": " +
                (ec == beast::error::timeout ? "timed out" : ec.message());
    }
  };

  request.set(http::field::host, where);
  request.set(http::field::user_agent, "stockpile-webhook");
  request.set(http::field::content_type, options.content_type);
  request.set(http::field::connection, "close");
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = body;
  request.prepare_payload();

  resolver.async_resolve(
      HostOnly(url.host), std::to_string(url.port),
      [&](beast::error_code ec, const tcp::resolver::results_type& results) {
        if (ec) return fail("resolving", ec);
        stream.expires_after(options.connect_timeout);
        stream.async_connect(
            results, [&](beast::error_code ec2, const tcp::endpoint&) {
              if (ec2) return fail("connecting to", ec2);
              stream.expires_after(options.response_timeout);
              http::async_write(
                  stream, request, [&](beast::error_code ec3, size_t) {
                    if (ec3) return fail("sending to", ec3);
                    http::async_read(stream, buffer, response,
                                     [&](beast::error_code ec4, size_t) {
                                       if (ec4)
                                         fail("reading the answer of", ec4);
                                     });
                  });
            });
      });
  // Name lookup has no deadline of its own: bound the whole call.
  io.run_for(options.connect_timeout + options.response_timeout);
  if (!io.stopped()) {
    io.stop();
    fail("waiting for", beast::error::timeout);
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  if (!failure.empty()) return core::UnavailableError(failure);
  return static_cast<int>(response.result_int());
}

}  // namespace stockpile::domain::notifications
