// TestHttpClient: a blocking HTTP/1.1 client for the server tests. Every
// operation gives up after `timeout` (default 10 s) so a broken server
// fails a test instead of hanging it. Test-only; not part of stockpile_api.
#ifndef STOCKPILE_API_TEST_HTTP_CLIENT_H_
#define STOCKPILE_API_TEST_HTTP_CLIENT_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "api/headers.h"
#include "core/result.h"

namespace stockpile::api {

struct TestResponse {
  int status = 0;
  Headers headers;
  std::string body;
  bool keep_alive = false;
};

class TestHttpClient {
 public:
  // Connects to 127.0.0.1:`port`; check connect_status().
  explicit TestHttpClient(uint16_t port, std::chrono::milliseconds timeout =
                                             std::chrono::seconds(10));
  ~TestHttpClient();

  const core::Status& connect_status() const;

  // Sends one request and reads one complete response (chunked bodies are
  // joined).
  core::Result<TestResponse> Send(std::string_view method,
                                  std::string_view target,
                                  std::string body = "",
                                  const Headers& headers = {});
  // Writes raw bytes (for malformed or slow requests).
  core::Status WriteRaw(std::string_view bytes);
  // Reads one response without sending anything first.
  core::Result<TestResponse> Read();
  // True when the server closes the connection (EOF or reset) before the
  // client's timeout; false when it stays open or sends data instead.
  bool WaitForClose();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace stockpile::api

#endif  // STOCKPILE_API_TEST_HTTP_CLIENT_H_
