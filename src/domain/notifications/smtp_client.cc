#include "domain/notifications/smtp_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <istream>

#include "core/status_macros.h"

namespace stockpile::domain::notifications {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

bool SafeAddress(const std::string& a) {
  return !a.empty() && a.find_first_of("\r\n<>") == std::string::npos;
}

// One SMTP conversation; each step waits at most until the deadline.
class Conversation {
 public:
  explicit Conversation(const SmtpRelay& relay)
      : relay_(relay), deadline_(Clock::now() + relay.timeout) {}

  core::Status Connect() {
    tcp::resolver resolver(io_);
    tcp::resolver::results_type endpoints;
    RETURN_IF_ERROR(Await(
        [&](auto done) {
          resolver.async_resolve(
              relay_.host, std::to_string(relay_.port),
              [&endpoints, done](boost::system::error_code ec,
                                 tcp::resolver::results_type r) {
                endpoints = std::move(r);
                done(ec);
              });
        },
        "resolving"));
    RETURN_IF_ERROR(Await(
        [&](auto done) {
          asio::async_connect(socket_, endpoints,
                              [done](boost::system::error_code ec,
                                     const tcp::endpoint&) { done(ec); });
        },
        "connecting to"));
    return Expect(220, "greeting");
  }

  // Sends `line` (CRLF added) and expects reply `code`.
  core::Status Command(const std::string& line, int code) {
    RETURN_IF_ERROR(Write(line + "\r\n"));
    return Expect(code, line.substr(0, line.find(':')));
  }

  core::Status Write(const std::string& data) {
    return Await(
        [&](auto done) {
          asio::async_write(
              socket_, asio::buffer(data),
              [done](boost::system::error_code ec, size_t) { done(ec); });
        },
        "sending to");
  }

  // Reads one (maybe multi-line) reply and checks its code.
  core::Status Expect(int code, const std::string& after) {
    std::string reply;
    for (;;) {
      RETURN_IF_ERROR(Await(
          [&](auto done) {
            asio::async_read_until(
                socket_, buffer_, "\r\n",
                [done](boost::system::error_code ec, size_t) { done(ec); });
          },
          "reading from"));
      std::istream in(&buffer_);
      std::string line;
      std::getline(in, line);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      reply += line;
      if (line.size() < 4 || line[3] != '-') break;
      reply += " | ";
    }
    const int got = reply.size() >= 3 && std::isdigit(reply[0]) != 0
                        ? std::stoi(reply.substr(0, 3))
                        : 0;
    if (got == code || (code == 250 && got == 251)) return core::Status::Ok();
    const std::string message =
        "SMTP relay " + Where() + " answered '" + reply + "' to " + after;
    if (got >= 500) return core::FailedPreconditionError(message);
    return core::UnavailableError(message);
  }

 private:
  std::string Where() const {
    return relay_.host + ":" + std::to_string(relay_.port);
  }

  // Starts an asynchronous operation and runs the io_context until it
  // completes or the deadline passes (then it is cancelled).
  template <typename Start>
  core::Status Await(Start start, std::string_view what) {
    bool finished = false;
    boost::system::error_code result;
    start([&finished, &result](boost::system::error_code ec) {
      finished = true;
      result = ec;
    });
    io_.restart();
    while (!finished && io_.run_one_until(deadline_) > 0) {
    }
    if (!finished) {
      boost::system::error_code ignored;
      socket_.cancel(ignored);
      socket_.close(ignored);
      io_.restart();
      io_.run();
      return core::UnavailableError(std::string(what) + " SMTP relay " +
                                    Where() + ": timed out");
    }
    if (result) {
      return core::UnavailableError(std::string(what) + " SMTP relay " +
                                    Where() + ": " + result.message());
    }
    return core::Status::Ok();
  }

  const SmtpRelay relay_;
  const Clock::time_point deadline_;
  asio::io_context io_;
  tcp::socket socket_{io_};
  asio::streambuf buffer_;
};

// The DATA section: headers, a blank line, the dot-stuffed body, ".".
std::string Data(const MailMessage& m) {
  std::string subject = m.subject;
  for (char& c : subject) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  std::string to;
  for (const std::string& r : m.to) to += (to.empty() ? "" : ", ") + r;
  std::string out = "From: <" + m.from + ">\r\nTo: " + to +
                    "\r\nSubject: " + subject +
                    "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; "
                    "charset=utf-8\r\n";
  if (!m.message_id.empty()) out += "Message-ID: <" + m.message_id + ">\r\n";
  out += "\r\n";
  size_t start = 0;
  while (start <= m.body.size()) {
    size_t end = m.body.find('\n', start);
    if (end == std::string::npos) end = m.body.size();
    std::string line = m.body.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty() && line.front() == '.') line.insert(0, ".");
    out += line + "\r\n";
    start = end + 1;
  }
  return out + ".\r\n";
}

}  // namespace

core::Status SendMail(const SmtpRelay& relay, const MailMessage& message) {
  if (!SafeAddress(message.from) || message.to.empty()) {
    return core::InvalidArgumentError(
        "a mail needs a sender and at least one recipient");
  }
  for (const std::string& r : message.to) {
    if (!SafeAddress(r)) {
      return core::InvalidArgumentError("bad mail address '" + r + "'");
    }
  }
  Conversation c(relay);
  RETURN_IF_ERROR(c.Connect());
  RETURN_IF_ERROR(c.Command("EHLO stockpile", 250));
  RETURN_IF_ERROR(c.Command("MAIL FROM:<" + message.from + ">", 250));
  for (const std::string& r : message.to) {
    RETURN_IF_ERROR(c.Command("RCPT TO:<" + r + ">", 250));
  }
  RETURN_IF_ERROR(c.Command("DATA", 354));
  RETURN_IF_ERROR(c.Write(Data(message)));
  RETURN_IF_ERROR(c.Expect(250, "the message"));
  // The message is accepted; a failed QUIT changes nothing.
  c.Command("QUIT", 221).IgnoreError();
  return core::Status::Ok();
}

}  // namespace stockpile::domain::notifications
