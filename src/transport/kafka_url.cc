#include "transport/kafka_url.h"

#include <charconv>
#include <string>

namespace stockpile::transport {
namespace {

constexpr std::string_view kScheme = "kafka://";

core::Status Bad(std::string_view url, std::string_view why) {
  return core::InvalidArgumentError("Kafka URL '" + std::string(url) +
                                    "': " + std::string(why) +
                                    " (expected kafka://host[:port][,host2])");
}

bool ValidHostChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' || c == ':';
}

core::Result<KafkaBroker> ParseBroker(std::string_view url,
                                      std::string_view item) {
  if (item.empty()) return Bad(url, "empty broker in the list");
  KafkaBroker broker;
  std::string_view port;
  if (item.front() == '[') {  // [v6]:port
    size_t close = item.find(']');
    if (close == std::string_view::npos) return Bad(url, "unclosed '['");
    broker.host = std::string(item.substr(1, close - 1));
    std::string_view rest = item.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return Bad(url, "junk after ']'");
      port = rest.substr(1);
      if (port.empty()) return Bad(url, "empty port");
    }
  } else {
    size_t colon = item.rfind(':');
    if (colon != std::string_view::npos &&
        item.find(':') != colon) {  // bare IPv6
      return Bad(url, "write an IPv6 address in brackets: [::1]:9092");
    }
    broker.host = std::string(item.substr(0, colon));
    if (colon != std::string_view::npos) {
      port = item.substr(colon + 1);
      if (port.empty()) return Bad(url, "empty port");
    }
  }
  if (broker.host.empty()) return Bad(url, "empty host");
  for (char c : broker.host) {
    if (!ValidHostChar(c)) {
      return Bad(url, "host '" + broker.host + "' has a bad character");
    }
  }
  if (!port.empty()) {
    unsigned value = 0;
    auto [end, ec] =
        std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value == 0 ||
        value > 65535) {
      return Bad(url, "port '" + std::string(port) + "' is not 1..65535");
    }
    broker.port = static_cast<uint16_t>(value);
  }
  return broker;
}

}  // namespace

std::string KafkaEndpoint::bootstrap_servers() const {
  std::string out;
  for (const KafkaBroker& b : brokers) {
    if (!out.empty()) out += ',';
    bool v6 = b.host.find(':') != std::string::npos;
    out += v6 ? "[" + b.host + "]" : b.host;
    out += ':';
    out += std::to_string(b.port);
  }
  return out;
}

core::Result<KafkaEndpoint> ParseKafkaUrl(std::string_view url) {
  if (!url.starts_with(kScheme)) return Bad(url, "the scheme must be kafka://");
  std::string_view rest = url.substr(kScheme.size());
  if (rest.find('@') != std::string_view::npos) {
    return Bad(url, "credentials are not supported (no SASL configured)");
  }
  if (rest.find_first_of("/?#") != std::string_view::npos) {
    return Bad(url, "a path or query is not supported");
  }
  if (rest.empty()) return Bad(url, "no broker");
  KafkaEndpoint endpoint;
  while (true) {
    size_t comma = rest.find(',');
    auto broker = ParseBroker(url, rest.substr(0, comma));
    if (!broker.ok()) return broker.status();
    endpoint.brokers.push_back(std::move(broker).value());
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  return endpoint;
}

}  // namespace stockpile::transport
