// The bus benchmark workload of issue 2, shared by bench/bus_bench.cc and
// mirrored line for line by the EventEmitter2 peer
// (bench/peers/eventemitter2/bench.js).
//
// 10 subscribers with AMQP patterns; 20 routing keys; the key of publish i
// is kKeys[x % 20] where x runs a xorshift32 from 2463534242 over a
// 4096-long cycle; the event of publish i has aggregateId "product-<i%1000>"
// and payload {productId: i%1000, quantity: i%7+1}.
#ifndef STOCKPILE_BENCH_BUS_WORKLOAD_H_
#define STOCKPILE_BENCH_BUS_WORKLOAD_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/event.h"

namespace stockpile::bench {

inline constexpr std::array<const char*, 10> kPatterns = {
    "inventory.*.*",
    "inventory.stock.*",
    "inventory.stock.adjusted",
    "inventory.alert.lowstock",
    "order.created",
    "order.*",
    "order.#",
    "payment.*",
    "shipment.#",
    "#"};

inline constexpr std::array<const char*, 20> kKeys = {
    "inventory.stock.adjusted",
    "inventory.stock.reserved",
    "inventory.stock.released",
    "inventory.stock.received",
    "inventory.product.created",
    "inventory.product.updated",
    "inventory.product.discontinued",
    "inventory.alert.lowstock",
    "order.created",
    "order.confirmed",
    "order.cancelled",
    "order.shipped",
    "order.delivered",
    "order.item.added",
    "order.item.removed",
    "payment.authorized",
    "payment.captured",
    "payment.refunded",
    "shipment.label.created",
    "shipment.dispatched"};

inline constexpr size_t kKeyCycle = 4096;
inline constexpr int64_t kWarmupEvents = 200'000;
inline constexpr int64_t kMeasuredEvents = 2'000'000;
// A1 cycles through this many pre-built events (a multiple of kKeyCycle,
// so the key sequence is exactly the workload's).
inline constexpr size_t kPrebuiltEvents = 16 * kKeyCycle;

// kKeys index of publish i is KeyIndices()[i % kKeyCycle].
inline std::vector<uint32_t> KeyIndices() {
  std::vector<uint32_t> out(kKeyCycle);
  uint32_t x = 2463534242u;
  for (uint32_t& k : out) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    k = x % kKeys.size();
  }
  return out;
}

// Fills `e` with the event of publish `i` (type, aggregate, payload only,
// as the peer's object literal has).
inline void FillEvent(core::Event& e, const std::vector<uint32_t>& keys,
                      int64_t i) {
  e.event_type = kKeys[keys[i % kKeyCycle]];
  e.aggregate_type = "product";
  e.aggregate_id = "product-" + std::to_string(i % 1000);
  e.payload = {{"productId", i % 1000}, {"quantity", i % 7 + 1}};
}

}  // namespace stockpile::bench

#endif  // STOCKPILE_BENCH_BUS_WORKLOAD_H_
