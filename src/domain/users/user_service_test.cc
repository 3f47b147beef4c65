#include "domain/users/user_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "core/event_codec.h"
#include "domain/common/domain_test_util.h"

namespace stockpile::domain::users {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kPassword[] = "correct horse battery";

class UserServiceTest : public testing::DomainStoreTest {
 protected:
  // Still Argon2id, at libsodium's minimum cost so the suite stays quick.
  UserService Users() { return UserService(deps_, MinimumPasswordCost()); }
  NewUser Ann(std::string id = "user-ann") {
    return NewUser{.id = std::move(id),
                   .email = " Ann@Acme.Example ",
                   .password = kPassword,
                   .role = "manager",
                   .name = "Ann"};
  }
  common::CommandContext ctx_{.tenant = "acme", .user_id = "admin-1"};
};

TEST_P(UserServiceTest, RegisterEmitsRegisteredAndPasswordSetWithoutPassword) {
  UserService users = Users();
  auto u = users.Register(ctx_, Ann());
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_EQ(u->email, "ann@acme.example");
  EXPECT_THAT(StreamTypes("acme", "user-user-ann"),
              ElementsAre("user.registered", "user.password.set"));
  auto events = store_->ReadStream("acme", "user-user-ann", 1, 10);
  ASSERT_TRUE(events.ok());
  const core::Event& registered = *(*events)[0];
  EXPECT_EQ(registered.PayloadString("email"), "ann@acme.example");
  EXPECT_EQ(registered.PayloadString("role"), "manager");
  EXPECT_EQ(registered.source(), "users");
  EXPECT_FALSE(registered.payload.contains("passwordHash"));
  for (const core::EventPtr& e : *events) {
    EXPECT_THAT(core::EncodeEvent(*e), Not(HasSubstr(kPassword)));
  }
  EXPECT_THAT((*events)[1]->PayloadString("passwordHash"),
              HasSubstr("$argon2id$"));
}

TEST_P(UserServiceTest, EmailIsUniquePerTenantIgnoringCase) {
  UserService users = Users();
  ASSERT_TRUE(users.Register(ctx_, Ann()).ok());
  NewUser again = Ann("user-ann-2");
  again.email = "ANN@acme.example";
  EXPECT_EQ(users.Register(ctx_, again).status().code(),
            core::StatusCode::kAlreadyExists);
  EXPECT_TRUE(StreamTypes("acme", "user-user-ann-2").empty());
  // Another tenant may use the same address.
  common::CommandContext other{.tenant = "globex", .user_id = "admin-2"};
  EXPECT_TRUE(users.Register(other, again).ok());
}

TEST_P(UserServiceTest, SameIdTwiceIsRefusedAndFreesTheSecondEmail) {
  UserService users = Users();
  ASSERT_TRUE(users.Register(ctx_, Ann()).ok());
  NewUser same_id = Ann();
  same_id.email = "bob@acme.example";
  EXPECT_EQ(users.Register(ctx_, same_id).status().code(),
            core::StatusCode::kAlreadyExists);
  NewUser bob = Ann("user-bob");
  bob.email = "bob@acme.example";
  EXPECT_TRUE(users.Register(ctx_, bob).ok());
}

TEST_P(UserServiceTest, RegisteringTheSameUserAgainKeepsItsEmail) {
  UserService users = Users();
  ASSERT_TRUE(users.Register(ctx_, Ann()).ok());
  EXPECT_EQ(users.Register(ctx_, Ann()).status().code(),
            core::StatusCode::kAlreadyExists);
  EXPECT_THAT(StreamTypes("acme", EmailStream("ann@acme.example")),
              ElementsAre("user.email.claimed"));
  EXPECT_TRUE(users.Authenticate("acme", "ann@acme.example", kPassword).ok());
  NewUser bob = Ann("user-bob");
  EXPECT_EQ(users.Register(ctx_, bob).status().code(),
            core::StatusCode::kAlreadyExists);
}

TEST_P(UserServiceTest, RefusesWeakPasswords) {
  UserService users = Users();
  for (const char* weak : {"short", "123456789", "aaaaaaaaaaaaaa",
                           "Password123", "1234567890", "ann@acme.example"}) {
    NewUser u = Ann();
    u.password = weak;
    core::Status s = users.Register(ctx_, u).status();
    EXPECT_EQ(s.code(), core::StatusCode::kInvalidArgument) << weak;
    EXPECT_THAT(s.message(), HasSubstr("password")) << weak;
    EXPECT_THAT(s.message(), Not(HasSubstr(weak))) << weak;
  }
  NewUser huge = Ann();
  huge.password = std::string(kMaxPasswordBytes + 1, 'x') + "y";
  EXPECT_EQ(users.Register(ctx_, huge).status().code(),
            core::StatusCode::kInvalidArgument);
  // Ten characters, counted as characters: ten two-byte letters pass.
  NewUser unicode = Ann();
  unicode.password = "\xc3\xa9\xc3\xa0\xc3\xa9\xc3\xa0\xc3\xa9";  // 5 chars
  EXPECT_EQ(users.Register(ctx_, unicode).status().code(),
            core::StatusCode::kInvalidArgument);
  unicode.password += unicode.password;
  EXPECT_TRUE(users.Register(ctx_, unicode).ok());
}

TEST_P(UserServiceTest, RefusesUnknownRolesAndBadEmails) {
  UserService users = Users();
  NewUser u = Ann();
  u.role = "root";
  EXPECT_EQ(users.Register(ctx_, u).status().code(),
            core::StatusCode::kInvalidArgument);
  u.role = "Admin";
  EXPECT_EQ(users.Register(ctx_, u).status().code(),
            core::StatusCode::kInvalidArgument);
  for (const char* email : {"", "ann", "@acme.example", "ann@", "ann@localhost",
                            "a b@acme.example", "a@b@acme.example"}) {
    u = Ann();
    u.email = email;
    EXPECT_EQ(users.Register(ctx_, u).status().code(),
              core::StatusCode::kInvalidArgument)
        << email;
  }
  EXPECT_TRUE(StreamTypes("acme", "user-user-ann").empty());
  for (const char* role : {"admin", "manager", "clerk", "viewer"}) {
    EXPECT_TRUE(ValidateRole(role).ok()) << role;
  }
}

TEST_P(UserServiceTest, AuthenticateAcceptsOnlyTheRightPasswordAndTenant) {
  UserService users = Users();
  ASSERT_TRUE(users.Register(ctx_, Ann()).ok());
  auto who = users.Authenticate("acme", "ANN@acme.example", kPassword);
  ASSERT_TRUE(who.ok()) << who.status();
  EXPECT_EQ(who->id, "user-ann");
  EXPECT_EQ(who->role, "manager");

  core::Status wrong =
      users.Authenticate("acme", "ann@acme.example", "wrong horse battery")
          .status();
  core::Status unknown =
      users.Authenticate("acme", "nobody@acme.example", kPassword).status();
  core::Status other_tenant =
      users.Authenticate("globex", "ann@acme.example", kPassword).status();
  EXPECT_EQ(wrong.code(), core::StatusCode::kUnauthenticated);
  // The same answer whether or not the address is registered.
  EXPECT_EQ(unknown, wrong);
  EXPECT_EQ(other_tenant, wrong);
  EXPECT_EQ(users.Authenticate("acme", "not an email", kPassword).status(),
            wrong);
}

TEST_P(UserServiceTest, UpdateChangesNameRoleAndPassword) {
  UserService users = Users();
  ASSERT_TRUE(users.Register(ctx_, Ann()).ok());
  auto u = users.UpdateUser(ctx_, "user-ann",
                            {.name = "Ann B.",
                             .role = "viewer",
                             .password = std::string("a new long secret")});
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_EQ(u->role, "viewer");
  EXPECT_THAT(StreamTypes("acme", "user-user-ann"),
              ElementsAre("user.registered", "user.password.set",
                          "user.updated", "user.password.set"));
  auto events = store_->ReadStream("acme", "user-user-ann", 3, 1);
  ASSERT_TRUE(events.ok());
  const boost::json::object& changes =
      (*events)[0]->payload.at("changes").as_object();
  EXPECT_EQ(changes.at("role").as_string(), "viewer");
  EXPECT_TRUE(changes.at("passwordChanged").as_bool());

  EXPECT_FALSE(users.Authenticate("acme", "ann@acme.example", kPassword).ok());
  auto who =
      users.Authenticate("acme", "ann@acme.example", "a new long secret");
  ASSERT_TRUE(who.ok()) << who.status();
  EXPECT_EQ(who->role, "viewer");
  EXPECT_EQ(who->name, "Ann B.");
}

TEST_P(UserServiceTest, UpdateValidatesAndNoOpsAppendNothing) {
  UserService users = Users();
  ASSERT_TRUE(users.Register(ctx_, Ann()).ok());
  EXPECT_EQ(
      users.UpdateUser(ctx_, "user-ann", {.role = "owner"}).status().code(),
      core::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      users.UpdateUser(ctx_, "user-ann", {.password = "short"}).status().code(),
      core::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      users.UpdateUser(ctx_, "user-nobody", {.name = "X"}).status().code(),
      core::StatusCode::kNotFound);
  EXPECT_TRUE(users.UpdateUser(ctx_, "user-ann", {.role = "manager"}).ok());
  EXPECT_EQ(StreamTypes("acme", "user-user-ann").size(), 2u);
  // Another tenant's user id is unknown here.
  common::CommandContext other{.tenant = "globex", .user_id = "admin-2"};
  EXPECT_EQ(users.UpdateUser(other, "user-ann", {.name = "X"}).status().code(),
            core::StatusCode::kNotFound);
}

TEST(PasswordHasherTest, DefaultCostIsArgon2idInteractive) {
  PasswordHasher hasher;
  auto hash = hasher.Hash(kPassword);
  ASSERT_TRUE(hash.ok()) << hash.status();
  // m is in KiB: 65536 KiB = 64 MiB, t = 2 (libsodium INTERACTIVE).
  EXPECT_THAT(*hash, HasSubstr("$argon2id$v=19$m=65536,t=2,p=1$"));
  EXPECT_TRUE(hasher.Verify(*hash, kPassword));
  EXPECT_FALSE(hasher.Verify(*hash, "correct horse battery!"));
  EXPECT_FALSE(hasher.Verify("not a hash", kPassword));
  auto again = hasher.Hash(kPassword);
  ASSERT_TRUE(again.ok());
  EXPECT_NE(*again, *hash);  // salted
}

INSTANTIATE_TEST_SUITE_P(Stores, UserServiceTest, testing::kAllStores,
                         testing::StoreName);

}  // namespace
}  // namespace stockpile::domain::users
