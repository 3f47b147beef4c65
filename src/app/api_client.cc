#include "app/api_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>

#include "api/jwt_signer.h"
#include "app/jwt_secret.h"
#include "core/status_macros.h"

namespace stockpile::app {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

std::string ApiReply::Error() const {
  if (body.is_object()) {
    if (const auto* d = body.as_object().if_contains("detail");
        d != nullptr && d->is_string()) {
      return "HTTP " + std::to_string(status) + ": " +
             std::string(d->as_string());
    }
  }
  return "HTTP " + std::to_string(status);
}

core::Result<ApiClient> ApiClient::Create(std::string_view url,
                                          std::string token) {
  constexpr std::string_view kScheme = "http://";
  if (!url.starts_with(kScheme)) {
    return core::InvalidArgumentError("--url '" + std::string(url) +
                                      "': expected http://host:port");
  }
  std::string_view rest = url.substr(kScheme.size());
  if (const size_t slash = rest.find('/'); slash != std::string_view::npos) {
    rest = rest.substr(0, slash);
  }
  const size_t colon = rest.rfind(':');
  std::string host(rest.substr(0, colon));
  std::string port = colon == std::string_view::npos
                         ? "80"
                         : std::string(rest.substr(colon + 1));
  if (host.empty() || port.empty()) {
    return core::InvalidArgumentError("--url '" + std::string(url) +
                                      "': expected http://host:port");
  }
  return ApiClient(std::move(host), std::move(port), std::move(token));
}

core::Result<ApiReply> ApiClient::Call(std::string_view method,
                                       std::string_view target,
                                       std::string body) const {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  beast::error_code ec;
  net::ip::tcp::resolver resolver(ioc);
  auto endpoints = resolver.resolve(host_, port_, ec);
  if (ec) {
    return core::UnavailableError("cannot resolve " + host_ + ": " +
                                  ec.message());
  }
  stream.expires_after(timeout_);
  stream.connect(endpoints, ec);
  if (ec) {
    return core::UnavailableError("cannot reach http://" + host_ + ":" + port_ +
                                  " (" + ec.message() +
                                  "); is `stockpile serve` running?");
  }
  http::request<http::string_body> req;
  req.method_string(method);
  req.target(target);
  req.version(11);
  req.set(http::field::host, host_);
  req.set(http::field::authorization, "Bearer " + token_);
  if (!body.empty()) req.set(http::field::content_type, "application/json");
  req.body() = std::move(body);
  req.prepare_payload();
  http::write(stream, req, ec);
  if (ec) return core::UnavailableError("sending: " + ec.message());
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 << 20);
  http::read(stream, buffer, parser, ec);
  if (ec) return core::UnavailableError("reading the reply: " + ec.message());
  ApiReply reply;
  reply.status = static_cast<int>(parser.get().result_int());
  const std::string& text = parser.get().body();
  if (!text.empty()) {
    boost::system::error_code parse_ec;
    boost::json::value v = boost::json::parse(text, parse_ec);
    if (!parse_ec) reply.body = std::move(v);
  }
  beast::error_code ignored;
  stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  return reply;
}

core::Result<std::string> ResolveCliToken(const std::string& flag_token,
                                          const std::string& data_dir,
                                          const std::string& tenant,
                                          const Environment& env) {
  if (!flag_token.empty()) return flag_token;
  if (auto token = env("STOCKPILE_TOKEN"); token && !token->empty()) {
    return *token;
  }
  ASSIGN_OR_RETURN(std::string secret,
                   LoadJwtSecret(data_dir, env, /*create=*/false));
  const core::SystemClock clock;
  ASSIGN_OR_RETURN(auto signer, api::JwtSigner::ForHs256Secret(secret, clock));
  return signer->Sign({"stockpile-cli", tenant, api::Role::kAdmin},
                      std::chrono::minutes(10));
}

}  // namespace stockpile::app
