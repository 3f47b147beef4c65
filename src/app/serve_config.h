// ServeConfig: everything `stockpile serve` needs to start, resolved once at
// start-up with the precedence flags > environment > config file > defaults
// (DESIGN.md §8, issue 6). A bad value stops start-up with a message naming
// the setting: the flag, the variable, or "<file>:<line>:<column>: <key>".
//
//   setting     flag          environment                    file key
//   listen      --http        STOCKPILE_HTTP                 http
//   data dir    --data-dir    STOCKPILE_DATA_DIR             data_dir
//   store       --store       STOCKPILE_STORE, DATABASE_URL  store
//   transport   --transport   STOCKPILE_TRANSPORT, RABBITMQ_URL,
//                             RABBITMQ_HOST/PORT/USERNAME/
//                             PASSWORD/VHOST                 transport
//   services    --services    STOCKPILE_SERVICES             services
//   log level   --log-level   STOCKPILE_LOG_LEVEL            log_level
//   demo data   --demo        STOCKPILE_DEMO                 demo
//   retries     --retry       STOCKPILE_RETRY                retry
//   SMTP relay  --smtp        STOCKPILE_SMTP                 smtp
//   alert mail  --alert-email STOCKPILE_ALERT_EMAIL          alert_email
//   the file    --config      STOCKPILE_CONFIG               —
//
// Defaults: 127.0.0.1:8080, ./stockpile-data, sqlite (<data-dir>/events.db),
// inproc, all services, info, no demo, no file. Within the environment the
// variables are tried left to right (the seeds' DATABASE_URL and RABBITMQ_*
// only when Stockpile's own is unset). The token secret (STOCKPILE_JWT_SECRET)
// is deliberately not a file setting: see jwt_secret.h. The retry policy (of
// every subscription, webhook deliveries included) is ATTEMPTS,BASE_MS,MAX_MS,
// doubling with full jitter; default 5,1000,30000 (DESIGN.md §7).
#ifndef STOCKPILE_APP_SERVE_CONFIG_H_
#define STOCKPILE_APP_SERVE_CONFIG_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/service_set.h"
#include "core/result.h"
#include "runtime/retry_policy.h"

namespace stockpile::app {

struct ServeConfig {
  std::string http_host = "127.0.0.1";
  uint16_t http_port = 8080;
  std::string data_dir = "./stockpile-data";
  std::string store = "sqlite";  // "memory", "sqlite" or a postgres:// URL
  // "inproc", or an amqp:// or kafka:// URL: the broker events cross
  // processes through (distributed mode, DESIGN.md §6).
  std::string transport = "inproc";
  // The services this process runs; a subset needs a broker transport.
  ServiceSet services = ServiceSet::All();
  std::string log_level = "info";
  // Load the demo catalog (demo_data.h) into tenant "demo" at start.
  bool demo = false;
  std::string config_file;  // the file read, "" when none
  runtime::RetryPolicy retry;
  // The email channel: alerts mailed through smtp_host:smtp_port (plain
  // SMTP) to alert_email; off while smtp_host is empty.
  std::string smtp_host;
  uint16_t smtp_port = 25;
  std::vector<std::string> alert_email;
};

// Values given on the command line; unset ones fall back to the environment.
struct ServeFlags {
  std::optional<std::string> config;
  std::optional<std::string> http;
  std::optional<std::string> data_dir;
  std::optional<std::string> store;
  std::optional<std::string> transport;
  std::optional<std::string> services;
  std::optional<std::string> log_level;
  std::optional<bool> demo;
  std::optional<std::string> retry;
  std::optional<std::string> smtp;
  std::optional<std::string> alert_email;
};

// Reads an environment variable; nullopt when unset. Injected for tests.
using Environment =
    std::function<std::optional<std::string>(const std::string& name)>;
Environment ProcessEnvironment();

// Parses "ATTEMPTS,BASE_MS,MAX_MS" (e.g. "5,1000,30000"). InvalidArgument
// naming `setting`.
core::Result<runtime::RetryPolicy> ParseRetryPolicy(const std::string& text,
                                                    const std::string& setting);

core::Result<ServeConfig> ResolveServeConfig(const ServeFlags& flags,
                                             const Environment& env);

// Parses "host:port" (port 0-65535). InvalidArgument naming `setting`.
core::Status ParseHostPort(const std::string& text, const std::string& setting,
                           std::string& host, uint16_t& port);

// The amqp:// URL the seeds' RABBITMQ_HOST/PORT/USERNAME/PASSWORD/VHOST
// describe (defaults localhost, 5672, guest, guest, "/"), nullopt when none
// is set; InvalidArgument naming RABBITMQ_PORT for a bad port.
core::Result<std::optional<std::string>> RabbitMqUrlFromParts(
    const Environment& env);

// `url` for logs and the console: the password of "scheme://user:pass@host"
// replaced by "***"; anything else unchanged.
std::string RedactUrlPassword(std::string_view url);

}  // namespace stockpile::app

#endif  // STOCKPILE_APP_SERVE_CONFIG_H_
