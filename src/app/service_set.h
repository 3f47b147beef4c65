// ServiceSet: which of Stockpile's services one process runs
// (`serve --services all|LIST`, DESIGN.md §6), and what each service owns
// on the event log.
//
//   ASSIGN_OR_RETURN(ServiceSet set, ServiceSet::Parse("orders,billing"));
//   if (set.Runs(Service::kOrders)) { ...start the orders consumers... }
//
// Each service owns the event types it produces (OwnedPatterns): only the
// process running it appends them, its outbox relay publishes the public
// ones (PublishedPatterns) to the transport, and the other processes import
// them. Private types (a password hash, a sku or email claim) never leave
// the process that owns them.
//
// Co-location: purchasing reads suppliers, stock positions and purchase
// orders directly, so it must run with catalog and inventory; Validate()
// says so. Every other subset works: a process not running the catalog
// answers product questions from a replica fed by catalog events.
//
// Thread-safety: a value type; const methods are safe from any thread.
#ifndef STOCKPILE_APP_SERVICE_SET_H_
#define STOCKPILE_APP_SERVICE_SET_H_

#include <bitset>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace stockpile::app {

enum class Service {
  kCatalog,
  kInventory,
  kOrders,
  kBilling,
  kPurchasing,
  kForecasting,
  kAnalytics,
  kNotifications,
  kUsers,
  kTenant,
  kIntegrations,
};
inline constexpr int kServiceCount = 11;

// Every service, in the order above.
const std::vector<Service>& AllServices();
// "catalog", "inventory", ...
std::string_view ServiceName(Service service);

// Event type patterns only `service` appends (for the importer to skip:
// they are already in the log of the process running it).
const std::vector<std::string>& OwnedPatterns(Service service);
// The owned types other services may consume (for the outbox relay).
const std::vector<std::string>& PublishedPatterns(Service service);

class ServiceSet {
 public:
  static ServiceSet All();
  // "all", or a comma-separated list of service names (spaces allowed).
  // InvalidArgument naming an unknown or repeated name, or an empty list.
  static core::Result<ServiceSet> Parse(std::string_view text);

  bool Runs(Service service) const {
    return bits_.test(static_cast<size_t>(service));
  }
  bool all() const { return bits_.all(); }
  std::vector<Service> services() const;

  // FailedPrecondition when a service runs without one it needs in the
  // same process (see the header comment).
  core::Status Validate() const;

  // "all", or the names joined by ','.
  std::string ToString() const;

 private:
  std::bitset<kServiceCount> bits_;
};

}  // namespace stockpile::app

#endif  // STOCKPILE_APP_SERVICE_SET_H_
