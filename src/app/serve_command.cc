// `stockpile serve`: runs the Application until SIGINT or SIGTERM, then
// shuts down gracefully (DESIGN.md §8).
#include <CLI/CLI.hpp>
#include <csignal>
#include <iostream>

#include "api/jwt_signer.h"
#include "app/application.h"
#include "app/commands.h"
#include "app/demo_admin.h"
#include "app/demo_data.h"
#include "app/jwt_secret.h"
#include "app/openapi_document.h"

namespace stockpile::app {

namespace {

int RunServe(const ServeFlags& flags) {
  Environment env = ProcessEnvironment();
  core::Result<ServeConfig> config = ResolveServeConfig(flags, env);
  if (!config.ok()) {
    std::cerr << "stockpile serve: " << config.status().message() << "\n";
    return 2;
  }
  // Block the shutdown signals before any thread starts, so every thread
  // inherits the mask and only sigwait below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  core::SystemClock clock;
  core::Result<std::unique_ptr<Application>> app =
      Application::Start(*config, env, clock, std::string(OpenApiDocument()));
  if (!app.ok()) {
    std::cerr << "stockpile serve: " << app.status().message() << "\n";
    return 1;
  }
  const std::string url = "http://" + config->http_host + ":" +
                          std::to_string((*app)->http_port()) + "/";
  std::cout << "Stockpile is serving on " << url
            << "  (store: " << RedactUrlPassword(config->store)
            << ", data: " << config->data_dir << ")\n";
  const ServiceSet& services = config->services;
  const bool demo_here = services.Runs(Service::kCatalog) &&
                         services.Runs(Service::kInventory) &&
                         services.Runs(Service::kPurchasing);
  if (config->demo && !demo_here) {
    std::cerr << "stockpile serve: --demo: the demo catalog is loaded by the "
                 "process that runs catalog, inventory and purchasing\n";
  }
  if (config->demo && demo_here) {
    core::Result<DemoSummary> demo = LoadDemoData((*app)->domain());
    if (!demo.ok()) {
      std::cerr << "stockpile serve: loading the demo data: "
                << demo.status().message() << "\n";
      (*app)->Stop();
      return 1;
    }
    std::cout << "Demo data: tenant '" << kDemoTenant << "', "
              << demo->products_total << " products (" << demo->products_created
              << " new this start)\n";
    auto secret = LoadJwtSecret(config->data_dir, env, /*create=*/false);
    auto signer =
        secret.ok()
            ? api::JwtSigner::ForHs256Secret(*secret, clock)
            : core::Result<std::unique_ptr<api::JwtSigner>>(secret.status());
    auto token = signer.ok()
                     ? (*signer)->Sign({"demo-admin", std::string(kDemoTenant),
                                        api::Role::kAdmin},
                                       std::chrono::hours(24 * 7))
                     : core::Result<std::string>(signer.status());
    if (token.ok()) {
      std::cout << "Dashboard: " << url << "\n"
                << "Admin token (7 days; paste it into the dashboard):\n"
                << *token << "\n";
    } else {
      std::cerr << "stockpile serve: minting the demo admin token: "
                << token.status().message() << "\n";
    }
    core::Result<DemoAdmin> admin =
        services.Runs(Service::kUsers)
            ? EnsureDemoAdmin((*app)->domain(), config->data_dir, kDemoTenant)
            : core::Result<DemoAdmin>(core::FailedPreconditionError(
                  "the users service runs in another process"));
    if (admin.ok()) {
      std::cout << "Admin login (POST /api/v1/auth/login, tenant '"
                << kDemoTenant << "'): " << admin->email << " / "
                << admin->password << "\n";
    } else {
      std::cerr << "stockpile serve: creating the demo admin user: "
                << admin.status().message() << "\n";
    }
  } else {
    std::cout << "Mint a token: stockpile token --tenant demo --role admin "
                 "--data-dir "
              << config->data_dir << "\n";
  }
  std::cout << std::flush;
  int signal = 0;
  sigwait(&signals, &signal);
  (*app)->log().Info("shutting down", {{"signal", signal}});
  (*app)->Stop();
  return 0;
}

}  // namespace

void AddServeCommand(CommandRegistry& commands) {
  CLI::App* cmd = commands.cli().add_subcommand(
      "serve", "Run Stockpile: HTTP API on the event store");
  auto flags = std::make_shared<ServeFlags>();
  cmd->add_option_function<std::string>(
      "--config", [flags](const std::string& v) { flags->config = v; },
      "a stockpile.toml; flags and environment override it (env "
      "STOCKPILE_CONFIG; example: docs/stockpile.example.toml)");
  cmd->add_option_function<std::string>(
      "--http", [flags](const std::string& v) { flags->http = v; },
      "host:port to listen on (default 127.0.0.1:8080; env STOCKPILE_HTTP)");
  cmd->add_option_function<std::string>(
      "--data-dir", [flags](const std::string& v) { flags->data_dir = v; },
      "data directory (default ./stockpile-data; env STOCKPILE_DATA_DIR)");
  cmd->add_option_function<std::string>(
      "--store", [flags](const std::string& v) { flags->store = v; },
      "memory | sqlite | postgres://user:pass@host:port/db (default sqlite; "
      "env STOCKPILE_STORE or DATABASE_URL)");
  cmd->add_option_function<std::string>(
      "--transport", [flags](const std::string& v) { flags->transport = v; },
      "inproc | amqp://user:pass@host:port/vhost | kafka://host:port: the "
      "broker events cross processes through (default inproc; env "
      "STOCKPILE_TRANSPORT, RABBITMQ_URL or "
      "RABBITMQ_HOST/PORT/USERNAME/PASSWORD/VHOST)");
  cmd->add_option_function<std::string>(
      "--services", [flags](const std::string& v) { flags->services = v; },
      "all | a comma-separated subset of catalog, inventory, orders, "
      "billing, purchasing, forecasting, analytics, notifications, users, "
      "tenant, integrations; a subset needs --transport (default all; env "
      "STOCKPILE_SERVICES)");
  cmd->add_option_function<std::string>(
      "--log-level", [flags](const std::string& v) { flags->log_level = v; },
      "trace|debug|info|warn|error (default info; env STOCKPILE_LOG_LEVEL)");
  cmd->add_option_function<std::string>(
      "--retry", [flags](const std::string& v) { flags->retry = v; },
      "retry policy of every subscription (webhook deliveries included): "
      "ATTEMPTS,BASE_MS,MAX_MS, doubling with full jitter (default "
      "5,1000,30000; env STOCKPILE_RETRY)");
  cmd->add_option_function<std::string>(
      "--smtp", [flags](const std::string& v) { flags->smtp = v; },
      "host:port of an SMTP relay alerts are mailed through (plain SMTP, "
      "no TLS/auth; env STOCKPILE_SMTP; needs --alert-email)");
  cmd->add_option_function<std::string>(
      "--alert-email",
      [flags](const std::string& v) { flags->alert_email = v; },
      "comma-separated recipients of alert mails (env "
      "STOCKPILE_ALERT_EMAIL)");
  cmd->add_flag_function(
      "--demo", [flags](int64_t n) { flags->demo = n > 0; },
      "load the demo catalog into tenant 'demo' and print an admin token "
      "(env STOCKPILE_DEMO=true)");
  cmd->callback(commands.Runner([flags] { return RunServe(*flags); }));
}

}  // namespace stockpile::app
