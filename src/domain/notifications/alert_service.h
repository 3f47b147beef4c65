// AlertService: raises alerts when a condition needs attention and resolves
// them when it clears (DESIGN.md §4 flows 2 and 7), or by hand.
//
//   inventory.stock.low                   -> raise low_stock (severity by
//                                            how far below the reorder
//                                            point: info, warning at half,
//                                            critical at 0 or below)
//   inventory.stock.restored              -> resolve low_stock
//   purchasing.order.created (pending)    -> raise purchase_order_approval
//   purchasing.order.approved|cancelled|received -> resolve it
//   payment.failed                        -> raise payment_failed
//   payment.succeeded                     -> resolve it
//
// One open alert per condition: a second low-stock event while the alert
// is open (a redelivery, or another crossing before restored) changes
// nothing. Each raised alert goes to the log channel: it is logged and a
// notification.sent {channel: "log"} is appended with it, atomically.
//
// Errors: InvalidArgument (a malformed event or alert id), NotFound (no such
// alert for the tenant), Conflict (Resolve of an alert already resolved).
//
// Ownership: borrows DomainDeps. Thread-safety: safe for concurrent use.
#ifndef STOCKPILE_DOMAIN_NOTIFICATIONS_ALERT_SERVICE_H_
#define STOCKPILE_DOMAIN_NOTIFICATIONS_ALERT_SERVICE_H_

#include <string>
#include <string_view>

#include "core/event.h"
#include "core/result.h"
#include "domain/common/aggregate_repository.h"
#include "domain/common/command_context.h"
#include "domain/notifications/alert_state.h"
#include "obs/logger.h"
#include "runtime/consumer_options.h"

namespace stockpile::domain::notifications {

class AlertService {
 public:
  AlertService(const common::DomainDeps& deps, obs::Logger log);

  // Raises or resolves per the table above; other event types are ignored.
  core::Status HandleEvent(const core::Event& e);

  // Resolves an open alert by hand (resolvedBy = the caller's user id).
  core::Result<AlertState> Resolve(const common::CommandContext& ctx,
                                   std::string_view alert_id);

  // The alert `alert_id` as its stream holds it now (NotFound when absent).
  core::Result<AlertState> GetAlert(std::string_view tenant,
                                    std::string_view alert_id) const;

 private:
  struct Condition {
    std::string_view alert_type;
    std::string key;  // the subject: position, purchase order or order id
    std::string product_id;
    std::string location_id;
    std::string subject_id;
    std::string message;
    std::string_view severity;
  };
  core::Status Raise(const core::Event& cause, const Condition& c);
  core::Status ResolveCondition(const core::Event& cause,
                                std::string_view alert_type,
                                std::string_view key);

  // Immutable after construction.
  const common::DomainDeps deps_;
  const obs::Logger log_;
  common::AggregateRepository<AlertState> alerts_;
};

inline constexpr std::string_view kAlertsSubscription = "notifications.alerts";

// The events of the table above -> HandleEvent. `alerts` must outlive the
// consumer.
runtime::ConsumerOptions AlertSubscription(AlertService& alerts);

}  // namespace stockpile::domain::notifications

#endif  // STOCKPILE_DOMAIN_NOTIFICATIONS_ALERT_SERVICE_H_
