// Test helpers for the domain layer: the two EventStore backends every
// domain test runs against, and a DomainDeps on a manual clock.
//
//   class FooTest : public DomainStoreTest {};
//   INSTANTIATE_TEST_SUITE_P(Stores, FooTest, kAllStores, StoreName);
//
// Thread-safety: a fixture belongs to its test's thread; the store and the
// id generator it hands out are thread-safe.
#ifndef STOCKPILE_DOMAIN_COMMON_DOMAIN_TEST_UTIL_H_
#define STOCKPILE_DOMAIN_COMMON_DOMAIN_TEST_UTIL_H_

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/uuid.h"
#include "domain/common/command_context.h"
#include "domain/event_catalog.h"
#include "store/event_store.h"
#include "store/in_memory_event_store.h"
#include "store/sqlite_event_store.h"

namespace stockpile::domain::testing {

enum class StoreKind { kMemory, kSqlite };

inline const auto kAllStores =
    ::testing::Values(StoreKind::kMemory, StoreKind::kSqlite);

inline std::string StoreName(const ::testing::TestParamInfo<StoreKind>& info) {
  return info.param == StoreKind::kMemory ? "Memory" : "Sqlite";
}

class DomainStoreTest : public ::testing::TestWithParam<StoreKind> {
 protected:
  void SetUp() override {
    if (GetParam() == StoreKind::kMemory) {
      store_ = store::MakeInMemoryEventStore();
    } else {
      path_ = std::filesystem::path(::testing::TempDir()) /
              ("domain-" + std::to_string(::getpid()) + "-" +
               ids_.NextString() + ".db");
      std::filesystem::remove(path_);
      auto opened = store::SqliteEventStore::Open(path_.string());
      ASSERT_TRUE(opened.ok()) << opened.status();
      store_ = std::move(opened).value();
    }
    deps_ = common::DomainDeps{store_.get(), &ids_, &clock_, {}};
  }

  void TearDown() override {
    if (check_catalog_ && store_ != nullptr) ExpectLogMatchesCatalog();
    store_.reset();
    if (!path_.empty()) {
      std::error_code ec;
      for (const char* suffix : {"", "-wal", "-shm"}) {
        std::filesystem::remove(path_.string() + suffix, ec);
      }
    }
  }

  // The event types of a stream, oldest first (empty if absent).
  std::vector<std::string> StreamTypes(const std::string& tenant,
                                       const std::string& stream) {
    std::vector<std::string> out;
    auto events = store_->ReadStream(tenant, stream, 1, 10000);
    if (!events.ok()) return out;
    for (const core::EventPtr& e : *events) out.push_back(e->event_type);
    return out;
  }

  // Every event in the store has a catalog type, its aggregateType, every
  // required payload field with the catalog's JSON type, and no other.
  void ExpectLogMatchesCatalog() {
    auto all = store_->ReadAll(0, 1'000'000, store::ReadFilter::AllTenants());
    ASSERT_TRUE(all.ok()) << all.status();
    for (const core::EventPtr& e : all->events) {
      const EventTypeInfo* info = FindEventType(e->event_type);
      ASSERT_NE(info, nullptr) << "not in the catalog: " << e->event_type;
      EXPECT_EQ(e->aggregate_type, info->aggregate_type) << e->event_type;
      for (const PayloadField& f : info->fields) {
        const boost::json::value* v = e->payload.if_contains(f.name);
        if (v == nullptr) {
          EXPECT_FALSE(f.required) << e->event_type << " lacks " << f.name;
          continue;
        }
        bool ok = false;
        switch (f.type) {
          case FieldType::kString:
            ok = v->is_string();
            break;
          case FieldType::kInteger:
            ok = v->is_int64() || v->is_uint64();
            break;
          case FieldType::kNumber:
            ok = v->is_number();
            break;
          case FieldType::kBoolean:
            ok = v->is_bool();
            break;
          case FieldType::kObject:
            ok = v->is_object();
            break;
          case FieldType::kArray:
            ok = v->is_array();
            break;
        }
        EXPECT_TRUE(ok) << e->event_type << "." << f.name
                        << " has the wrong type";
      }
      for (const auto& kv : e->payload) {
        bool known = false;
        for (const PayloadField& f : info->fields) {
          known = known || f.name == kv.key();
        }
        EXPECT_TRUE(known) << e->event_type << " has unlisted field "
                           << std::string_view(kv.key());
      }
    }
  }

  bool check_catalog_ = true;
  core::ManualClock clock_;
  core::UuidV7Generator ids_{clock_};
  std::unique_ptr<store::EventStore> store_;
  std::filesystem::path path_;
  common::DomainDeps deps_;
};

}  // namespace stockpile::domain::testing

#endif  // STOCKPILE_DOMAIN_COMMON_DOMAIN_TEST_UTIL_H_
