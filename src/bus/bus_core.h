// BusCore: the state behind an InProcessBus, shared with its Subscription
// handles (which hold it weakly, so a handle may outlive the bus).
//
// Publishing reads the current RoutingTable under a ReaderEpoch guard — no
// lock, no shared counter — and (un)subscribing swaps in a rebuilt table
// under mu_, retiring the old one until a grace period proves no publisher
// still reads it.
//
// Each publishing thread memoizes its last route in its reader record,
// tagged with the table's generation: the next publish of the same key on
// the same table skips the hash and the cache probe. The memo is only used
// when its tag equals the generation of the table read under the guard, so
// that table — the owner of the route — is alive; generations are never
// reused within a bus, and records are per bus.
//
// Thread-safety: every method may be called from any thread, except that
// Close (run by ~InProcessBus) must not race with Publish.
#ifndef STOCKPILE_BUS_BUS_CORE_H_
#define STOCKPILE_BUS_BUS_CORE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "bus/reader_epoch.h"
#include "bus/routing_table.h"
#include "bus/subscribe_options.h"
#include "bus/subscriber.h"
#include "core/event.h"
#include "core/result.h"

namespace stockpile::bus::internal {

class BusCore {
 public:
  BusCore();
  ~BusCore();
  BusCore(const BusCore&) = delete;
  BusCore& operator=(const BusCore&) = delete;

  core::Result<std::shared_ptr<Subscriber>> Subscribe(
      std::vector<std::string> patterns, Handler handler,
      SubscribeOptions options);
  void Unsubscribe(const std::shared_ptr<Subscriber>& subscriber);

  // `owner` is null when the event is published by reference.
  core::Status Publish(const core::Event& event, const core::EventPtr* owner);

  core::Status Flush();
  std::vector<std::pair<std::string, SubscriptionStats>> Stats() const;

  // Unsubscribes everyone; later Publish calls reach no one.
  void Close();

 private:
  using Retired = std::vector<std::unique_ptr<const RoutingTable>>;

  // Swaps in a table for subs_ and retires the old one. Requires mu_.
  void SwapTableLocked();
  // Frees `retired` after a grace period; keeps it for later when the
  // caller runs inside a handler (where waiting could deadlock).
  void Reclaim(Retired retired);

  ReaderEpoch epoch_;
  // The table publishers read; replaced (seq_cst) only under mu_.
  std::atomic<const RoutingTable*> current_;

  mutable std::mutex mu_;
  std::vector<std::shared_ptr<Subscriber>> subs_;  // GUARDED_BY(mu_)
  Retired retired_;                                // GUARDED_BY(mu_)
  bool closed_ = false;                            // GUARDED_BY(mu_)
  uint64_t generation_ = 1;  // GUARDED_BY(mu_): of the current table
};

}  // namespace stockpile::bus::internal

#endif  // STOCKPILE_BUS_BUS_CORE_H_
