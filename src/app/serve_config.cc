#include "app/serve_config.h"

#include <charconv>
#include <cstdlib>
#include <initializer_list>
#include <utility>

#include "app/config_file.h"
#include "core/status_macros.h"
#include "obs/log_level.h"
#include "transport/amqp_connection.h"
#include "transport/kafka_url.h"
#include "transport/rabbitmq_transport.h"

namespace stockpile::app {

namespace {

// One setting's value and where it came from ("--http", "STOCKPILE_HTTP",
// "stockpile.toml:2:8: http").
struct Setting {
  std::string text;
  std::string origin;
};

class Sources {
 public:
  Sources(const Environment& env, const ConfigFile* file)
      : env_(env), file_(file) {}

  // flag > the first set variable > `extra` (more environment) > file.
  std::optional<Setting> Pick(
      const std::optional<std::string>& flag, const char* flag_name,
      std::initializer_list<const char*> vars, const char* key,
      const std::optional<Setting>& extra = std::nullopt) const {
    if (flag) return Setting{*flag, flag_name};
    for (const char* var : vars) {
      if (auto value = env_(var)) return Setting{*value, var};
    }
    if (extra) return extra;
    if (file_ != nullptr) {
      if (const ConfigValue* v = file_->Find(key)) {
        return Setting{v->text, v->origin};
      }
    }
    return std::nullopt;
  }

 private:
  const Environment& env_;
  const ConfigFile* file_;
};

core::Status Bad(const Setting& s, const std::string& why) {
  return core::InvalidArgumentError(s.origin + " '" + s.text + "': " + why);
}

bool IsUnreserved(unsigned char c) {
  return std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~';
}

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (IsUnreserved(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

core::Status ValidateTransport(const Setting& s) {
  if (s.text == "inproc") return core::Status::Ok();
  if (s.text.starts_with("amqp://")) {
    transport::RabbitMqOptions options{.url = s.text};
    core::Status query = transport::ApplyAmqpUrlQuery(options);
    if (!query.ok()) return Bad(s, query.message());
    core::Result<transport::AmqpEndpoint> e =
        transport::ParseAmqpUrl(options.url);
    return e.ok() ? core::Status::Ok() : Bad(s, e.status().message());
  }
  if (s.text.starts_with("kafka://")) {
    core::Result<transport::KafkaEndpoint> e = transport::ParseKafkaUrl(s.text);
    return e.ok() ? core::Status::Ok() : Bad(s, e.status().message());
  }
  return Bad(s,
             "expected inproc, amqp://user:pass@host:port/vhost or "
             "kafka://host:port[,host:port]");
}

}  // namespace

Environment ProcessEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value =
        std::getenv(name.c_str());  // NOLINT(concurrency-mt-unsafe)
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

core::Status ParseHostPort(const std::string& text, const std::string& setting,
                           std::string& host, uint16_t& port) {
  const size_t colon = text.rfind(':');
  const Setting s{text, setting};
  if (colon == std::string::npos || colon == 0) {
    return Bad(s, "expected host:port, e.g. 127.0.0.1:8080");
  }
  unsigned value = 0;
  const char* begin = text.data() + colon + 1;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (begin == end || ec != std::errc() || ptr != end || value > 65535) {
    return Bad(s, "port must be a number from 0 to 65535");
  }
  host = text.substr(0, colon);
  port = static_cast<uint16_t>(value);
  return core::Status::Ok();
}

core::Result<std::optional<std::string>> RabbitMqUrlFromParts(
    const Environment& env) {
  auto host = env("RABBITMQ_HOST");
  auto port = env("RABBITMQ_PORT");
  auto user = env("RABBITMQ_USERNAME");
  auto password = env("RABBITMQ_PASSWORD");
  auto vhost = env("RABBITMQ_VHOST");
  if (!host && !port && !user && !password && !vhost) {
    // Not `return std::nullopt`: that would leave the Result itself empty.
    return std::optional<std::string>();
  }
  if (port) {
    unsigned value = 0;
    auto [ptr, ec] =
        std::from_chars(port->data(), port->data() + port->size(), value);
    if (port->empty() || ec != std::errc() ||
        ptr != port->data() + port->size() || value == 0 || value > 65535) {
      return Bad({*port, "RABBITMQ_PORT"},
                 "port must be a number from 1 to 65535");
    }
  }
  if (host && host->empty()) {
    return Bad({*host, "RABBITMQ_HOST"}, "host must not be empty");
  }
  return std::optional<std::string>(
      "amqp://" + PercentEncode(user.value_or("guest")) + ":" +
      PercentEncode(password.value_or("guest")) + "@" +
      host.value_or("localhost") + ":" + port.value_or("5672") + "/" +
      PercentEncode(vhost.value_or("/")));
}

core::Result<runtime::RetryPolicy> ParseRetryPolicy(
    const std::string& text, const std::string& setting) {
  auto bad = [&](const std::string& why) {
    return core::InvalidArgumentError(setting + " '" + text + "': " + why);
  };
  int64_t values[3] = {0, 0, 0};
  const char* p = text.data();
  const char* end = text.data() + text.size();
  for (int i = 0; i < 3; ++i) {
    auto [ptr, ec] = std::from_chars(p, end, values[i]);
    const bool last = i == 2;
    if (ec != std::errc() || ptr == p ||
        (last ? ptr != end : (ptr == end || *ptr != ','))) {
      return bad(
          "expected ATTEMPTS,BASE_MS,MAX_MS, e.g. 5,1000,30000 (the default)");
    }
    p = ptr + 1;
  }
  runtime::RetryPolicy policy;
  if (values[0] < 1 || values[0] > 1000) {
    return bad("attempts must be 1 to 1000");
  }
  policy.max_attempts = static_cast<int>(values[0]);
  policy.base_delay = std::chrono::milliseconds(values[1]);
  policy.max_delay = std::chrono::milliseconds(values[2]);
  RETURN_IF_ERROR(policy.Validate().WithContext(setting + " '" + text + "'"));
  return policy;
}

core::Result<ServeConfig> ResolveServeConfig(const ServeFlags& flags,
                                             const Environment& env) {
  ServeConfig config;
  std::optional<ConfigFile> file;
  if (flags.config) {
    config.config_file = *flags.config;
  } else if (auto from_env = env("STOCKPILE_CONFIG")) {
    config.config_file = *from_env;
  }
  if (!config.config_file.empty()) {
    ASSIGN_OR_RETURN(file, LoadConfigFile(config.config_file));
  }
  const Sources sources(env, file ? &*file : nullptr);

  if (auto http =
          sources.Pick(flags.http, "--http", {"STOCKPILE_HTTP"}, "http")) {
    RETURN_IF_ERROR(ParseHostPort(http->text, http->origin, config.http_host,
                                  config.http_port));
  }
  if (auto dir = sources.Pick(flags.data_dir, "--data-dir",
                              {"STOCKPILE_DATA_DIR"}, "data_dir")) {
    if (dir->text.empty()) return Bad(*dir, "must not be empty");
    config.data_dir = dir->text;
  }
  if (auto store = sources.Pick(flags.store, "--store",
                                {"STOCKPILE_STORE", "DATABASE_URL"}, "store")) {
    const std::string& s = store->text;
    if (s != "memory" && s != "sqlite" && !s.starts_with("postgres://") &&
        !s.starts_with("postgresql://")) {
      return Bad(*store,
                 "expected memory, sqlite or a "
                 "postgres://user:pass@host:port/db URL");
    }
    config.store = s;
  }
  std::optional<Setting> rabbit_parts;
  ASSIGN_OR_RETURN(std::optional<std::string> parts_url,
                   RabbitMqUrlFromParts(env));
  if (parts_url) {
    rabbit_parts =
        Setting{*parts_url, "RABBITMQ_HOST/PORT/USERNAME/PASSWORD/VHOST"};
  }
  if (auto transport = sources.Pick(flags.transport, "--transport",
                                    {"STOCKPILE_TRANSPORT", "RABBITMQ_URL"},
                                    "transport", rabbit_parts)) {
    RETURN_IF_ERROR(ValidateTransport(*transport));
    config.transport = transport->text;
  }
  if (auto services = sources.Pick(flags.services, "--services",
                                   {"STOCKPILE_SERVICES"}, "services")) {
    core::Result<ServiceSet> parsed = ServiceSet::Parse(services->text);
    if (!parsed.ok()) return Bad(*services, parsed.status().message());
    core::Status usable = parsed->Validate();
    if (!usable.ok()) return Bad(*services, usable.message());
    config.services = *parsed;
  }
  if (!config.services.all() && config.transport == "inproc") {
    return core::InvalidArgumentError(
        "--services " + config.services.ToString() +
        " runs only some services: the others run in other processes, "
        "reached through a broker; set --transport amqp://... or "
        "kafka://...");
  }
  if (auto level = sources.Pick(flags.log_level, "--log-level",
                                {"STOCKPILE_LOG_LEVEL"}, "log_level")) {
    core::Result<obs::LogLevel> parsed = obs::ParseLogLevel(level->text);
    if (!parsed.ok()) return Bad(*level, parsed.status().message());
    config.log_level = level->text;
  }
  const std::optional<std::string> demo_flag =
      flags.demo ? std::optional<std::string>(*flags.demo ? "true" : "false")
                 : std::nullopt;
  if (auto demo =
          sources.Pick(demo_flag, "--demo", {"STOCKPILE_DEMO"}, "demo")) {
    if (demo->text == "true" || demo->text == "1") {
      config.demo = true;
    } else if (demo->text == "false" || demo->text == "0") {
      config.demo = false;
    } else {
      return Bad(*demo, "expected true or false");
    }
  }
  if (auto retry =
          sources.Pick(flags.retry, "--retry", {"STOCKPILE_RETRY"}, "retry")) {
    ASSIGN_OR_RETURN(config.retry,
                     ParseRetryPolicy(retry->text, retry->origin));
  }
  if (auto smtp = sources.Pick(flags.smtp, "--smtp", {"STOCKPILE_SMTP"},
                               "smtp");
      smtp && !smtp->text.empty()) {  // "" = no mail
    RETURN_IF_ERROR(ParseHostPort(smtp->text, smtp->origin, config.smtp_host,
                                  config.smtp_port));
  }
  if (auto to = sources.Pick(flags.alert_email, "--alert-email",
                             {"STOCKPILE_ALERT_EMAIL"}, "alert_email");
      to && !to->text.empty()) {
    size_t start = 0;
    while (start <= to->text.size()) {
      size_t comma = to->text.find(',', start);
      if (comma == std::string::npos) comma = to->text.size();
      std::string address = to->text.substr(start, comma - start);
      while (!address.empty() && address.front() == ' ') address.erase(0, 1);
      while (!address.empty() && address.back() == ' ') address.pop_back();
      if (address.find('@') == std::string::npos ||
          address.find_first_of("\r\n<> ") != std::string::npos) {
        return Bad(*to,
                   "expected addresses like ops@example.com, separated by "
                   "commas");
      }
      config.alert_email.push_back(std::move(address));
      start = comma + 1;
    }
  }
  if (!config.smtp_host.empty() && config.alert_email.empty()) {
    return core::InvalidArgumentError(
        "--smtp / STOCKPILE_SMTP needs --alert-email / STOCKPILE_ALERT_EMAIL "
        "(who gets the alert mails)");
  }
  return config;
}

std::string RedactUrlPassword(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  const size_t start = scheme + 3;
  const size_t at = url.find('@', start);
  if (at == std::string_view::npos) return std::string(url);
  const size_t colon = url.find(':', start);
  const size_t slash = url.find('/', start);
  if (colon == std::string_view::npos || colon > at ||
      (slash != std::string_view::npos && slash < at)) {
    return std::string(url);
  }
  return std::string(url.substr(0, colon + 1)) + "***" +
         std::string(url.substr(at));
}

}  // namespace stockpile::app
