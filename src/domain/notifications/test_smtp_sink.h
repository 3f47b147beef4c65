// TestSmtpSink: a minimal SMTP server on 127.0.0.1 (an ephemeral port) for
// the email channel's tests: it greets, answers EHLO / MAIL / RCPT / DATA /
// QUIT and records each accepted message. `rcpt_replies` scripts the reply
// to RCPT TO per connection (the last one repeats), e.g. {451, 250} refuses
// the first conversation temporarily. Test-only; one connection at a time.
//
// Thread-safety: safe for concurrent use; the accept loop runs on its own
// thread until destruction.
#ifndef STOCKPILE_DOMAIN_NOTIFICATIONS_TEST_SMTP_SINK_H_
#define STOCKPILE_DOMAIN_NOTIFICATIONS_TEST_SMTP_SINK_H_

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <istream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace stockpile::domain::testing {

struct ReceivedMail {
  std::string from;
  std::vector<std::string> to;
  std::string data;  // as sent, CRLF lines, without the final "."
};

class TestSmtpSink {
 public:
  explicit TestSmtpSink(std::vector<int> rcpt_replies = {250})
      : rcpt_replies_(std::move(rcpt_replies)),
        acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    thread_ = std::thread([this] { Serve(); });
  }
  ~TestSmtpSink() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    boost::system::error_code ec;
    boost::asio::ip::tcp::socket poke(io_);
    poke.connect(acceptor_.local_endpoint(), ec);
    thread_.join();
  }

  uint16_t port() const { return acceptor_.local_endpoint().port(); }
  std::vector<ReceivedMail> mails() {
    std::lock_guard lock(mu_);
    return mails_;
  }
  int conversations() {
    std::lock_guard lock(mu_);
    return conversations_;
  }

 private:
  void Serve() {
    for (;;) {
      boost::asio::ip::tcp::socket socket(io_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      int rcpt = 250;
      {
        std::lock_guard lock(mu_);
        if (stopping_) return;
        const size_t i = static_cast<size_t>(conversations_++);
        rcpt = rcpt_replies_[std::min(i, rcpt_replies_.size() - 1)];
      }
      if (!ec) Converse(socket, rcpt);
    }
  }

  void Converse(boost::asio::ip::tcp::socket& socket, int rcpt) {
    boost::asio::streambuf buffer;
    boost::system::error_code ec;
    auto say = [&](const std::string& line) {
      boost::asio::write(socket, boost::asio::buffer(line + "\r\n"), ec);
    };
    auto read_line = [&]() -> std::string {
      boost::asio::read_until(socket, buffer, "\r\n", ec);
      if (ec) return "";
      std::istream in(&buffer);
      std::string line;
      std::getline(in, line);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return line;
    };
    ReceivedMail mail;
    say("220 sink ready");
    while (!ec) {
      const std::string line = read_line();
      if (ec) return;
      if (line.starts_with("EHLO")) {
        say("250-sink");
        say("250 8BITMIME");
      } else if (line.starts_with("MAIL FROM:<")) {
        mail.from = line.substr(11, line.size() - 12);
        say("250 ok");
      } else if (line.starts_with("RCPT TO:<")) {
        mail.to.push_back(line.substr(9, line.size() - 10));
        say(rcpt == 250 ? "250 ok" : std::to_string(rcpt) + " not now");
      } else if (line == "DATA") {
        say("354 go ahead");
        for (std::string d = read_line(); !ec && d != "."; d = read_line()) {
          mail.data += d + "\r\n";
        }
        {
          std::lock_guard lock(mu_);
          mails_.push_back(mail);
        }
        say("250 queued");
      } else if (line == "QUIT") {
        say("221 bye");
        return;
      } else {
        say("500 what?");
      }
    }
  }

  const std::vector<int> rcpt_replies_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::thread thread_;
  std::mutex mu_;
  std::vector<ReceivedMail> mails_;  // GUARDED_BY(mu_)
  int conversations_ = 0;            // GUARDED_BY(mu_)
  bool stopping_ = false;            // GUARDED_BY(mu_)
};

}  // namespace stockpile::domain::testing

#endif  // STOCKPILE_DOMAIN_NOTIFICATIONS_TEST_SMTP_SINK_H_
