// Users and login over HTTP against a real server on an ephemeral loopback
// port (SQLite store): registration by an admin only, the login token works
// on the API and carries the user's role and tenant, and a wrong password,
// an unknown email and another tenant all answer the same 401.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "api/jwt_signer.h"
#include "api/test_http_client.h"
#include "app/application.h"
#include "app/demo_admin.h"
#include "app/jwt_secret.h"
#include "app/openapi_document.h"

namespace stockpile::app {
namespace {

struct Reply {
  int status = 0;
  boost::json::object body;
};

std::optional<std::string> NoEnv(const std::string&) { return std::nullopt; }

class UserApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("stockpile-user-api-test-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    ServeConfig config;
    config.http_port = 0;
    config.data_dir = dir_.string();
    config.log_level = "warn";
    auto app = Application::Start(config, NoEnv, clock_,
                                  std::string(OpenApiDocument()));
    ASSERT_TRUE(app.ok()) << app.status();
    app_ = std::move(app).value();
    auto secret = LoadJwtSecret(dir_.string(), NoEnv, /*create=*/false);
    ASSERT_TRUE(secret.ok()) << secret.status();
    auto signer = api::JwtSigner::ForHs256Secret(*secret, clock_);
    ASSERT_TRUE(signer.ok());
    admin_ = *(*signer)->Sign({"admin-1", "acme", api::Role::kAdmin},
                              std::chrono::seconds(600));
    manager_ = *(*signer)->Sign({"mgr-1", "acme", api::Role::kManager},
                                std::chrono::seconds(600));
  }
  void TearDown() override {
    app_.reset();
    std::filesystem::remove_all(dir_);
  }

  Reply Call(const std::string& method, const std::string& target,
             const std::string& body, const std::string& token) {
    api::TestHttpClient client(app_->http_port());
    api::Headers headers;
    if (!token.empty()) headers.Add("Authorization", "Bearer " + token);
    if (!body.empty()) headers.Add("Content-Type", "application/json");
    auto r = client.Send(method, target, body, headers);
    EXPECT_TRUE(r.ok()) << r.status();
    Reply out;
    if (!r.ok()) return out;
    out.status = r->status;
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(r->body, ec);
    if (!ec && v.is_object()) out.body = v.as_object();
    return out;
  }

  Reply Login(const std::string& tenant, const std::string& email,
              const std::string& password) {
    return Call(
        "POST", "/api/v1/auth/login",
        boost::json::serialize(boost::json::object{
            {"tenant", tenant}, {"email", email}, {"password", password}}),
        "");
  }

  core::SystemClock clock_;
  std::filesystem::path dir_;
  std::unique_ptr<Application> app_;
  std::string admin_;
  std::string manager_;
};

constexpr char kAnn[] =
    R"({"email":"Ann@Acme.example","password":"correct horse battery","role":"clerk","name":"Ann"})";

TEST_F(UserApiTest, AdminRegistersAndTheUserLogsInWithItsRole) {
  Reply created = Call("POST", "/api/v1/users", kAnn, admin_);
  ASSERT_EQ(created.status, 201) << boost::json::serialize(created.body);
  EXPECT_EQ(created.body.at("email").as_string(), "ann@acme.example");
  EXPECT_EQ(created.body.at("role").as_string(), "clerk");
  EXPECT_FALSE(created.body.contains("password"));
  EXPECT_FALSE(created.body.contains("passwordHash"));
  const std::string id(created.body.at("id").as_string());

  Reply login = Login("acme", "ann@acme.example", "correct horse battery");
  ASSERT_EQ(login.status, 200) << boost::json::serialize(login.body);
  EXPECT_EQ(login.body.at("tokenType").as_string(), "Bearer");
  EXPECT_TRUE(login.body.at("expiresAt").is_string());
  EXPECT_EQ(login.body.at("user").at("id").as_string(), id);
  const std::string token(login.body.at("token").as_string());

  // The token is the user's: a clerk reads, but may not register users.
  EXPECT_EQ(Call("GET", "/api/v1/products", "", token).status, 200);
  EXPECT_EQ(Call("POST", "/api/v1/users", kAnn, token).status, 403);

  // The event API never shows the hash.
  Reply events = Call("GET", "/api/v1/events?type=user.*.*", "", admin_);
  ASSERT_EQ(events.status, 200);
  const std::string text = boost::json::serialize(events.body);
  EXPECT_NE(text.find("[redacted]"), std::string::npos) << text;
  EXPECT_EQ(text.find("$argon2id$"), std::string::npos) << text;
  EXPECT_EQ(text.find("correct horse"), std::string::npos) << text;
}

TEST_F(UserApiTest, WrongPasswordUnknownEmailAndOtherTenantAreOneAnswer) {
  ASSERT_EQ(Call("POST", "/api/v1/users", kAnn, admin_).status, 201);
  Reply wrong = Login("acme", "ann@acme.example", "wrong horse battery");
  Reply unknown = Login("acme", "bob@acme.example", "correct horse battery");
  Reply other = Login("globex", "ann@acme.example", "correct horse battery");
  for (const Reply* r : {&wrong, &unknown, &other}) {
    EXPECT_EQ(r->status, 401);
    EXPECT_EQ(r->body.at("detail"), wrong.body.at("detail"));
    EXPECT_FALSE(r->body.contains("token"));
  }
  EXPECT_EQ(Login("acme", "", "x").status, 422);
  EXPECT_EQ(Call("POST", "/api/v1/auth/login", "{not json", "").status, 400);
}

TEST_F(UserApiTest, RegistrationValidatesAndIsAdminOnly) {
  ASSERT_EQ(Call("POST", "/api/v1/users", kAnn, admin_).status, 201);
  EXPECT_EQ(Call("POST", "/api/v1/users", kAnn, admin_).status, 409);
  EXPECT_EQ(
      Call("POST", "/api/v1/users",
           R"({"email":"b@acme.example","password":"short","role":"clerk"})",
           admin_)
          .status,
      422);
  EXPECT_EQ(
      Call(
          "POST", "/api/v1/users",
          R"({"email":"b@acme.example","password":"long enough pw","role":"boss"})",
          admin_)
          .status,
      422);
  EXPECT_EQ(Call("POST", "/api/v1/users", kAnn, manager_).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/users", "", manager_).status, 403);
  EXPECT_EQ(Call("POST", "/api/v1/users", kAnn, "").status, 401);
}

TEST_F(UserApiTest, PatchChangesRoleAndPasswordAndListShowsUsers) {
  Reply created = Call("POST", "/api/v1/users", kAnn, admin_);
  ASSERT_EQ(created.status, 201);
  const std::string id(created.body.at("id").as_string());
  Reply patched =
      Call("PATCH", "/api/v1/users/" + id,
           R"({"role":"manager","password":"a brand new secret"})", admin_);
  ASSERT_EQ(patched.status, 200) << boost::json::serialize(patched.body);
  EXPECT_EQ(patched.body.at("role").as_string(), "manager");
  EXPECT_EQ(Login("acme", "ann@acme.example", "correct horse battery").status,
            401);
  Reply login = Login("acme", "ann@acme.example", "a brand new secret");
  ASSERT_EQ(login.status, 200);
  EXPECT_EQ(login.body.at("user").at("role").as_string(), "manager");
  EXPECT_EQ(
      Call("PATCH", "/api/v1/users/user-nobody", R"({"name":"x"})", admin_)
          .status,
      404);

  // The list is a read model: poll until the registration shows.
  Reply list;
  for (int i = 0; i < 500; ++i) {
    list = Call("GET", "/api/v1/users", "", admin_);
    if (list.status == 200 && !list.body.at("items").as_array().empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.body.at("items").as_array().size(), 1u);
  EXPECT_EQ(list.body.at("items").at(0).at("email").as_string(),
            "ann@acme.example");
  EXPECT_EQ(Call("GET", "/api/v1/users/" + id, "", admin_).status, 200);
}

TEST_F(UserApiTest, DemoAdminCanLogInAndKeepsItsPasswordAcrossCalls) {
  auto admin = EnsureDemoAdmin(app_->domain(), dir_.string(), "demo");
  ASSERT_TRUE(admin.ok()) << admin.status();
  EXPECT_TRUE(admin->created);
  auto again = EnsureDemoAdmin(app_->domain(), dir_.string(), "demo");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->password, admin->password);
  Reply login = Login("demo", admin->email, admin->password);
  ASSERT_EQ(login.status, 200) << boost::json::serialize(login.body);
  EXPECT_EQ(login.body.at("user").at("role").as_string(), "admin");
}

// The command line against this server: `stockpile projections rebuild`,
// `projections list`, `events list`, `dlq list` (the real binary).
std::string RunCli(const std::string& args, int* exit_code) {
  const std::string command =
      std::string(STOCKPILE_BINARY) + " " + args + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");  // NOLINT(cert-env33-c)
  std::string out;
  if (pipe == nullptr) return out;
  char buf[512];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof(buf), pipe)) > 0) out.append(buf, n);
  const int status = ::pclose(pipe);
  *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

TEST_F(UserApiTest, CommandLineListsRebuildsAndReadsTheLog) {
  ASSERT_EQ(Call("POST", "/api/v1/users", kAnn, admin_).status, 201);
  const std::string remote =
      "--url http://127.0.0.1:" + std::to_string(app_->http_port()) +
      " --token " + admin_;
  int code = -1;
  std::string out = RunCli("projections rebuild users " + remote, &code);
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("users rebuilt in"), std::string::npos) << out;
  EXPECT_NE(out.find("[##############################] 100.0%"),
            std::string::npos)
      << out;

  out = RunCli("projections list " + remote, &code);
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("users  running"), std::string::npos) << out;
  EXPECT_NE(out.find("rebuilds=1"), std::string::npos) << out;
  EXPECT_NE(out.find("products  running"), std::string::npos) << out;

  out = RunCli("events list --type 'user.*' " + remote, &code);
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("user.registered  user/"), std::string::npos) << out;

  out = RunCli("dlq list " + remote, &code);
  EXPECT_EQ(code, 0) << out;

  out = RunCli("projections rebuild nosuch " + remote, &code);
  EXPECT_EQ(code, 1);
  EXPECT_NE(out.find("HTTP 404"), std::string::npos) << out;

  out = RunCli("projections list --url http://127.0.0.1:1 --token x", &code);
  EXPECT_EQ(code, 1);
  EXPECT_NE(out.find("cannot reach"), std::string::npos) << out;
}

}  // namespace
}  // namespace stockpile::app
