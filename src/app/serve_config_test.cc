#include "app/serve_config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "app/config_file.h"

namespace stockpile::app {
namespace {

Environment FakeEnv(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](
             const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(ServeConfigTest, DefaultsWhenNothingIsSet) {
  auto config = ResolveServeConfig({}, FakeEnv({}));
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->http_host, "127.0.0.1");
  EXPECT_EQ(config->http_port, 8080);
  EXPECT_EQ(config->data_dir, "./stockpile-data");
  EXPECT_EQ(config->store, "sqlite");
}

TEST(ServeConfigTest, FlagsBeatEnvironmentBeatsDefaults) {
  auto env = FakeEnv({{"STOCKPILE_HTTP", "0.0.0.0:9000"},
                      {"STOCKPILE_DATA_DIR", "/env"},
                      {"DATABASE_URL", "postgres://u@127.0.0.1:5432/db"}});
  auto from_env = ResolveServeConfig({}, env);
  ASSERT_TRUE(from_env.ok()) << from_env.status();
  EXPECT_EQ(from_env->http_host, "0.0.0.0");
  EXPECT_EQ(from_env->http_port, 9000);
  EXPECT_EQ(from_env->data_dir, "/env");
  EXPECT_EQ(from_env->store, "postgres://u@127.0.0.1:5432/db");

  ServeFlags flags;
  flags.http = "127.0.0.1:0";
  flags.store = "memory";
  auto from_flags = ResolveServeConfig(flags, env);
  ASSERT_TRUE(from_flags.ok()) << from_flags.status();
  EXPECT_EQ(from_flags->http_port, 0);
  EXPECT_EQ(from_flags->store, "memory");
  EXPECT_EQ(from_flags->data_dir, "/env");
}

TEST(ServeConfigTest, StockpileStoreBeatsTheSeedsDatabaseUrl) {
  auto config = ResolveServeConfig(
      {}, FakeEnv({{"STOCKPILE_STORE", "memory"},
                   {"DATABASE_URL", "postgres://u@127.0.0.1/db"}}));
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->store, "memory");
}

TEST(ServeConfigTest, BadValuesNameTheSetting) {
  auto bad_port =
      ResolveServeConfig({}, FakeEnv({{"STOCKPILE_HTTP", "x:99999"}}));
  ASSERT_FALSE(bad_port.ok());
  EXPECT_NE(bad_port.status().message().find("STOCKPILE_HTTP"),
            std::string::npos)
      << bad_port.status();
  ServeFlags flags;
  flags.http = "8080";
  auto no_host = ResolveServeConfig(flags, FakeEnv({}));
  ASSERT_FALSE(no_host.ok());
  EXPECT_NE(no_host.status().message().find("--http"), std::string::npos);
  flags = {};
  flags.store = "mysql://x";
  auto bad_store = ResolveServeConfig(flags, FakeEnv({}));
  ASSERT_FALSE(bad_store.ok());
  EXPECT_NE(bad_store.status().message().find("--store"), std::string::npos);
  auto bad_level =
      ResolveServeConfig({}, FakeEnv({{"STOCKPILE_LOG_LEVEL", "loud"}}));
  ASSERT_FALSE(bad_level.ok());
  EXPECT_NE(bad_level.status().message().find("STOCKPILE_LOG_LEVEL"),
            std::string::npos);
}

TEST(ServeConfigTest, DemoFromFlagOrEnvironment) {
  EXPECT_FALSE(ResolveServeConfig({}, FakeEnv({}))->demo);
  EXPECT_TRUE(
      ResolveServeConfig({}, FakeEnv({{"STOCKPILE_DEMO", "true"}}))->demo);
  ServeFlags off;
  off.demo = false;
  EXPECT_FALSE(
      ResolveServeConfig(off, FakeEnv({{"STOCKPILE_DEMO", "1"}}))->demo);
  auto bad = ResolveServeConfig({}, FakeEnv({{"STOCKPILE_DEMO", "yes"}}));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("STOCKPILE_DEMO"), std::string::npos);
}

// A file in the test's temp directory, removed at the end of the test.
class ConfigFileTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& text) {
    path_ = std::filesystem::temp_directory_path() /
            ("stockpile-config-test-" + std::to_string(::getpid()) + ".toml");
    std::ofstream(path_) << text;
    return path_.string();
  }
  void TearDown() override {
    if (!path_.empty()) std::filesystem::remove(path_);
  }
  std::filesystem::path path_;
};

TEST_F(ConfigFileTest, FlagBeatsEnvironmentBeatsFileBeatsDefault) {
  ServeFlags flags;
  flags.config = Write(
      "http = \"10.0.0.1:7000\"\ndata_dir = \"/file\"\nstore = \"memory\"\n"
      "log_level = \"debug\"\n");
  // The file alone.
  auto file_only = ResolveServeConfig(flags, FakeEnv({}));
  ASSERT_TRUE(file_only.ok()) << file_only.status();
  EXPECT_EQ(file_only->http_host, "10.0.0.1");
  EXPECT_EQ(file_only->http_port, 7000);
  EXPECT_EQ(file_only->data_dir, "/file");
  EXPECT_EQ(file_only->store, "memory");
  EXPECT_EQ(file_only->log_level, "debug");
  EXPECT_EQ(file_only->transport, "inproc");  // not in the file: default
  EXPECT_EQ(file_only->config_file, flags.config);

  // The environment beats the file, a flag beats both.
  auto env = FakeEnv({{"STOCKPILE_HTTP", "10.0.0.2:7001"},
                      {"DATABASE_URL", "postgres://u@db/stock"}});
  flags.http = "10.0.0.3:7002";
  auto all = ResolveServeConfig(flags, env);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->http_host, "10.0.0.3");
  EXPECT_EQ(all->store, "postgres://u@db/stock");
  EXPECT_EQ(all->data_dir, "/file");
  flags.http.reset();
  EXPECT_EQ(ResolveServeConfig(flags, env)->http_port, 7001);

  // STOCKPILE_CONFIG names the file when --config does not.
  auto via_env =
      ResolveServeConfig({}, FakeEnv({{"STOCKPILE_CONFIG", *flags.config}}));
  ASSERT_TRUE(via_env.ok()) << via_env.status();
  EXPECT_EQ(via_env->data_dir, "/file");
}

TEST_F(ConfigFileTest, BadValueNamesTheKeyAndItsLine) {
  ServeFlags flags;
  flags.config = Write("store = \"sqlite\"\nhttp = \"localhost:99999\"\n");
  auto bad = ResolveServeConfig(flags, FakeEnv({}));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find(*flags.config + ":2:8: http"),
            std::string::npos)
      << bad.status();
  // A flag that overrides the bad value lets start-up go on.
  flags.http = "127.0.0.1:0";
  EXPECT_TRUE(ResolveServeConfig(flags, FakeEnv({})).ok());
}

TEST_F(ConfigFileTest, UnknownKeysWrongTypesAndSyntaxErrorsStopStartUp) {
  const std::string path = Write("x");
  for (const auto& [text, expected] : std::map<std::string, std::string>{
           {"htp = \"127.0.0.1:1\"\n", ":1:1: htp: unknown setting"},
           {"[http]\nlisten = \"a:1\"\n", ":1:1: http must be a string"},
           {"\ndemo = \"yes\"\n", ":2:8: demo must be true or false"},
           {"log_level = \"loud\"\n", ":1:13: log_level 'loud'"},
           {"store = \"mysql://x\"\n", ":1:9: store 'mysql://x'"},
           {"transport = \"amqp://mq:port/\"\n",
            ":1:13: transport 'amqp://mq:port/'"},
           {"http = \n", path + ":1:"}}) {
    auto parsed = ParseConfigFile(text, path);
    core::Status s =
        parsed.ok()
            ? ResolveServeConfig({.config = Write(text)}, FakeEnv({})).status()
            : parsed.status();
    ASSERT_FALSE(s.ok()) << text;
    EXPECT_NE(s.message().find(expected), std::string::npos)
        << text << " -> " << s;
  }
  auto missing = ResolveServeConfig({.config = "/nonexistent/stockpile.toml"},
                                    FakeEnv({}));
  EXPECT_EQ(missing.status().code(), core::StatusCode::kNotFound);
}

TEST(ServeConfigTest, TransportFromTheSeedsRabbitMqVariables) {
  EXPECT_EQ(ResolveServeConfig({}, FakeEnv({}))->transport, "inproc");
  auto url = ResolveServeConfig(
      {}, FakeEnv({{"RABBITMQ_URL", "amqp://app:s3cret@mq:5673/shop"}}));
  ASSERT_TRUE(url.ok()) << url.status();
  EXPECT_EQ(url->transport, "amqp://app:s3cret@mq:5673/shop");

  auto parts =
      ResolveServeConfig({}, FakeEnv({{"RABBITMQ_HOST", "mq.internal"},
                                      {"RABBITMQ_USERNAME", "app"},
                                      {"RABBITMQ_PASSWORD", "p@ss/word"}}));
  ASSERT_TRUE(parts.ok()) << parts.status();
  EXPECT_EQ(parts->transport, "amqp://app:p%40ss%2Fword@mq.internal:5672/%2F");

  // Stockpile's own variable beats the seeds'; a flag beats both.
  auto env = FakeEnv({{"STOCKPILE_TRANSPORT", "kafka://k1:9092"},
                      {"RABBITMQ_URL", "amqp://mq/"}});
  EXPECT_EQ(ResolveServeConfig({}, env)->transport, "kafka://k1:9092");
  ServeFlags flags;
  flags.transport = "inproc";
  EXPECT_EQ(ResolveServeConfig(flags, env)->transport, "inproc");

  auto bad_port = ResolveServeConfig({}, FakeEnv({{"RABBITMQ_PORT", "fifty"}}));
  ASSERT_FALSE(bad_port.ok());
  EXPECT_NE(bad_port.status().message().find("RABBITMQ_PORT"),
            std::string::npos);
  auto bad_url =
      ResolveServeConfig({}, FakeEnv({{"RABBITMQ_URL", "http://x"}}));
  ASSERT_FALSE(bad_url.ok());
  EXPECT_NE(bad_url.status().message().find("RABBITMQ_URL"), std::string::npos);

  flags.transport = "amqp://mq:5672/shop?events_per_message=1";
  EXPECT_TRUE(ResolveServeConfig(flags, env).ok());
  flags.transport = "amqp://mq:5672/shop?events_per_message=none";
  auto bad_query = ResolveServeConfig(flags, env);
  ASSERT_FALSE(bad_query.ok());
  EXPECT_NE(bad_query.status().message().find("events_per_message"),
            std::string::npos);
}

TEST(ServeConfigTest, TheExampleFileInDocsLoads) {
  auto file = LoadConfigFile(STOCKPILE_EXAMPLE_CONFIG);
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_NE(file->Find("http"), nullptr);
  EXPECT_NE(file->Find("transport"), nullptr);
  auto config =
      ResolveServeConfig({.config = STOCKPILE_EXAMPLE_CONFIG}, FakeEnv({}));
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->http_port, 8080);
  EXPECT_EQ(config->store, "sqlite");
}

TEST(ServeConfigTest, UrlPasswordsStayOutOfLogs) {
  EXPECT_EQ(RedactUrlPassword("postgres://app:s3cret@127.0.0.1:5432/db"),
            "postgres://app:***@127.0.0.1:5432/db");
  EXPECT_EQ(RedactUrlPassword("amqp://guest:guest@host:5672/%2f"),
            "amqp://guest:***@host:5672/%2f");
  EXPECT_EQ(RedactUrlPassword("postgres://app@127.0.0.1/db"),
            "postgres://app@127.0.0.1/db");
  EXPECT_EQ(RedactUrlPassword("sqlite"), "sqlite");
  EXPECT_EQ(RedactUrlPassword("kafka://h:9092/x@y"), "kafka://h:9092/x@y");
}

}  // namespace
TEST(ServeConfigTest, RetryPolicyFromFlagOrEnvironment) {
  auto config = ResolveServeConfig({}, FakeEnv({}));
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->retry.max_attempts, 5);  // DESIGN.md §7
  EXPECT_EQ(config->retry.base_delay.count(), 1000);
  EXPECT_EQ(config->retry.max_delay.count(), 30000);
  config = ResolveServeConfig({.retry = "3,50,200"},
                              FakeEnv({{"STOCKPILE_RETRY", "9,1,1"}}));
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->retry.max_attempts, 3);
  EXPECT_EQ(config->retry.base_delay.count(), 50);
  EXPECT_EQ(config->retry.max_delay.count(), 200);
  config = ResolveServeConfig({}, FakeEnv({{"STOCKPILE_RETRY", "2,10,10"}}));
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->retry.max_attempts, 2);
  for (const char* bad : {"", "3", "3,50", "3,50,", "0,50,200", "3,-1,200",
                          "3,500,200", "3,50,200,1", "a,b,c"}) {
    auto r = ResolveServeConfig({.retry = bad}, FakeEnv({}));
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("--retry"), std::string::npos) << bad;
  }
}

TEST(ServeConfigTest, SmtpRelayNeedsRecipients) {
  auto config = ResolveServeConfig(
      {.smtp = "127.0.0.1:2525"},
      FakeEnv(
          {{"STOCKPILE_ALERT_EMAIL", "ops@example.com, buyer@example.com"}}));
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->smtp_host, "127.0.0.1");
  EXPECT_EQ(config->smtp_port, 2525);
  EXPECT_EQ(config->alert_email,
            (std::vector<std::string>{"ops@example.com", "buyer@example.com"}));
  EXPECT_TRUE(ResolveServeConfig({}, FakeEnv({}))->smtp_host.empty());
  EXPECT_FALSE(
      ResolveServeConfig({.smtp = "127.0.0.1:2525"}, FakeEnv({})).ok());
  EXPECT_FALSE(ResolveServeConfig({.smtp = "nohost"},
                                  FakeEnv({{"STOCKPILE_ALERT_EMAIL", "a@b"}}))
                   .ok());
  EXPECT_FALSE(
      ResolveServeConfig({.alert_email = "a@b,not-an-address"}, FakeEnv({}))
          .ok());
}

}  // namespace stockpile::app

namespace stockpile::app {
namespace {

TEST(ServeConfigTest, ServicesFromFlagEnvironmentOrFile) {
  EXPECT_TRUE(ResolveServeConfig({}, FakeEnv({}))->services.all());
  auto env = FakeEnv({{"STOCKPILE_SERVICES", "orders,billing"},
                      {"STOCKPILE_TRANSPORT", "amqp://mq:5672/"}});
  auto from_env = ResolveServeConfig({}, env);
  ASSERT_TRUE(from_env.ok()) << from_env.status();
  EXPECT_EQ(from_env->services.ToString(), "orders,billing");
  ServeFlags flags;
  flags.services = "inventory, catalog ,purchasing";
  auto from_flag = ResolveServeConfig(flags, env);
  ASSERT_TRUE(from_flag.ok()) << from_flag.status();
  EXPECT_TRUE(from_flag->services.Runs(Service::kPurchasing));
  EXPECT_FALSE(from_flag->services.Runs(Service::kOrders));
}

TEST(ServeConfigTest, BadServicesNameTheSetting) {
  auto mq = FakeEnv({{"STOCKPILE_TRANSPORT", "amqp://mq:5672/"}});
  ServeFlags flags;
  flags.services = "orders,shipping";
  auto unknown = ResolveServeConfig(flags, mq);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("--services"), std::string::npos);
  EXPECT_NE(unknown.status().message().find("shipping"), std::string::npos);
  flags.services = "purchasing";  // without catalog and inventory
  auto alone = ResolveServeConfig(flags, mq);
  ASSERT_FALSE(alone.ok());
  EXPECT_NE(alone.status().message().find("same process"), std::string::npos);
  // A subset without a broker: the other services would never be reached.
  flags.services = "orders";
  auto no_broker = ResolveServeConfig(flags, FakeEnv({}));
  ASSERT_FALSE(no_broker.ok());
  EXPECT_NE(no_broker.status().message().find("--transport"),
            std::string::npos);
}

}  // namespace
}  // namespace stockpile::app
