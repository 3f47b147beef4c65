#include "app/serve_config.h"

#include <gtest/gtest.h>

#include <map>

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

}  // namespace
}  // namespace stockpile::app
