// ApiClient: the command line's HTTP client for a running server's API
// (`stockpile events|dlq|projections ...`, DESIGN.md §8): one request per
// call over plain HTTP/1.1, JSON in and out, the bearer token attached.
//
//   ASSIGN_OR_RETURN(ApiClient api, ApiClient::Create("http://127.0.0.1:8080",
//   token)); ASSIGN_OR_RETURN(ApiReply r, api.Call("GET", "/api/v1/dlq")); if
//   (r.status != 200) ... r.body["detail"] ...
//
// And ResolveCliToken: --token, else STOCKPILE_TOKEN, else one minted from
// the data directory's secret (jwt_secret.h) for tenant/admin.
//
// Thread-safety: a client serves one thread.
#ifndef STOCKPILE_APP_API_CLIENT_H_
#define STOCKPILE_APP_API_CLIENT_H_

#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "app/serve_config.h"
#include "core/result.h"

namespace stockpile::app {

struct ApiReply {
  int status = 0;
  boost::json::value body;  // null when empty or not JSON
  // The problem's detail (or status line) of a non-2xx reply.
  std::string Error() const;
};

class ApiClient {
 public:
  // `url`: http://host[:port] (no TLS). InvalidArgument otherwise.
  static core::Result<ApiClient> Create(std::string_view url,
                                        std::string token);

  // Unavailable when the server cannot be reached or the reply is cut.
  core::Result<ApiReply> Call(std::string_view method, std::string_view target,
                              std::string body = "") const;

 private:
  ApiClient(std::string host, std::string port, std::string token)
      : host_(std::move(host)),
        port_(std::move(port)),
        token_(std::move(token)) {}

  std::string host_;
  std::string port_;
  std::string token_;
  std::chrono::seconds timeout_{30};
};

// The token the CLI sends (see the header comment).
core::Result<std::string> ResolveCliToken(const std::string& flag_token,
                                          const std::string& data_dir,
                                          const std::string& tenant,
                                          const Environment& env);

}  // namespace stockpile::app

#endif  // STOCKPILE_APP_API_CLIENT_H_
