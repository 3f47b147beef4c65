// The cost of the business-context enrichment stage (issue 10) per event:
// NewEvent with and without TenantSettingsService as the enricher, for a
// tenant without settings (UTC) and one on the Indonesia region pack
// (Asia/Jakarta, Hijri seasons and holidays), calendars cached. Plus the
// size the context adds to an encoded event.
//
//   build/ci-release/bench/business_context_bench
#include <benchmark/benchmark.h>

#include <boost/json/parse.hpp>

#include "core/event_codec.h"
#include "domain/common/command_context.h"
#include "domain/tenant/tenant_settings_service.h"
#include "store/in_memory_event_store.h"

namespace {

using namespace stockpile;  // NOLINT(google-build-using-namespace)

struct Fixture {
  Fixture() {
    auto done = settings.Update(
        {.tenant = "id-tenant"},
        boost::json::parse(R"({"region": "ID", "holidays": ["2026-08-17"]})")
            .as_object());
    if (!done.ok()) std::abort();
    enriched.enricher = &settings;
  }

  core::SystemClock clock;
  core::UuidV7Generator ids{clock};
  std::unique_ptr<store::EventStore> store = store::MakeInMemoryEventStore();
  domain::common::DomainDeps plain{
      .store = store.get(), .ids = &ids, .clock = &clock};
  domain::tenant::TenantSettingsService settings{plain};
  domain::common::DomainDeps enriched = plain;
};

core::Event Build(const domain::common::DomainDeps& deps,
                  const std::string& tenant) {
  const domain::common::CommandContext ctx{.tenant = tenant, .user_id = "u-1"};
  return domain::common::NewEvent(deps, ctx, "inventory",
                                  "inventory.stock.adjusted",
                                  "inventory_position", "p-1@main",
                                  {{"productId", "p-1"},
                                   {"locationId", "main"},
                                   {"delta", -2},
                                   {"onHand", 98}});
}

void BM_NewEvent(benchmark::State& state, bool enrich, const char* tenant) {
  Fixture f;
  const domain::common::DomainDeps& deps = enrich ? f.enriched : f.plain;
  Build(deps, tenant);  // loads and caches the calendar
  size_t bytes = 0;
  for (auto _ : state) {
    core::Event e = Build(deps, tenant);
    benchmark::DoNotOptimize(e);
  }
  bytes = core::EncodeEvent(Build(deps, tenant)).size();
  state.counters["encoded_bytes"] = static_cast<double>(bytes);
}

BENCHMARK_CAPTURE(BM_NewEvent, plain, false, "id-tenant");
BENCHMARK_CAPTURE(BM_NewEvent, enriched_default_utc, true, "no-settings");
BENCHMARK_CAPTURE(BM_NewEvent, enriched_indonesia, true, "id-tenant");

void BM_BusinessContextOnly(benchmark::State& state) {
  Fixture f;
  auto cal = f.settings.Calendar("id-tenant");
  int64_t t = 1'771'300'000'000;  // February 2026, Ramadan in Jakarta
  for (auto _ : state) {
    benchmark::DoNotOptimize(cal->BusinessContext(t));
    t += 60'000;
  }
}
BENCHMARK(BM_BusinessContextOnly);

}  // namespace

BENCHMARK_MAIN();
