// The events the transport benchmarks publish (bench/kafka_bench.cc,
// bench/transport_bench.cc; bench/peers/amqplib/bench.js builds the same
// envelope): "inventory.stock.adjusted" over 64 aggregates (so all Kafka
// partitions work), tenant "acme", payload {productId, locationId, delta,
// onHand}; about 390 bytes encoded. Timestamps come from a fixed
// ManualClock; eventIds are distinct UUIDv7s.
#ifndef STOCKPILE_BENCH_TRANSPORT_EVENTS_H_
#define STOCKPILE_BENCH_TRANSPORT_EVENTS_H_

#include <cstddef>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/event.h"
#include "core/uuid.h"

namespace stockpile::bench {

inline constexpr const char* kTransportEventType = "inventory.stock.adjusted";

inline std::vector<core::EventPtr> TransportEvents(size_t n) {
  core::ManualClock clock;
  core::UuidV7Generator ids(clock);
  std::vector<core::EventPtr> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    std::string product = "product-" + std::to_string(i % 64);
    out.push_back(core::EventBuilder(kTransportEventType)
                      .Aggregate("inventory_position", product + "@main")
                      .Tenant("acme")
                      .Payload({{"productId", product},
                                {"locationId", "main"},
                                {"delta", -2},
                                {"onHand", 98}})
                      .Source("inventory")
                      .Build(ids, clock));
  }
  return out;
}

}  // namespace stockpile::bench

#endif  // STOCKPILE_BENCH_TRANSPORT_EVENTS_H_
