// AlertState: an alert raised for a condition that needs a person's
// attention (DESIGN.md §4 flows 2 and 7, §7 alert shape {id, productId,
// locationId, alertType, message, severity, isResolved, createdAt}).
//
// A condition — low stock of one position, one purchase order awaiting
// approval, failed payments of one order — has one stream,
// AlertStream(type, key) = "alerts-<type>.<key>", holding every alert it
// ever raised: notification.alert.raised opens alert "<type>.<key>.<n>"
// (n = 1, 2, ... per crossing), notification.alert.resolved closes it.
// Folded over that stream the state is the condition's newest alert;
// folded over the events of one alert id (the alerts list, KeyedView) it
// is that alert.
//
// Thread-safety: a plain value.
#ifndef STOCKPILE_DOMAIN_NOTIFICATIONS_ALERT_STATE_H_
#define STOCKPILE_DOMAIN_NOTIFICATIONS_ALERT_STATE_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/event.h"
#include "core/result.h"

namespace stockpile::domain::notifications {

inline constexpr std::string_view kAlertRaised = "notification.alert.raised";
inline constexpr std::string_view kAlertResolved =
    "notification.alert.resolved";

// Alert types.
inline constexpr std::string_view kLowStock = "low_stock";
inline constexpr std::string_view kPurchaseOrderApproval =
    "purchase_order_approval";
inline constexpr std::string_view kPaymentFailedAlert = "payment_failed";

std::string AlertStream(std::string_view alert_type, std::string_view key);
// "<type>.<key>.<sequence>".
std::string AlertId(std::string_view alert_type, std::string_view key,
                    int64_t sequence);
// The stream and sequence of an alert id; InvalidArgument when `id` is not
// of the form AlertId gives.
struct AlertRef {
  std::string stream;
  int64_t sequence = 0;
};
core::Result<AlertRef> ParseAlertId(std::string_view id);

struct AlertState {
  static constexpr int kSnapshotSchema = 1;

  bool exists = false;
  int64_t raised = 0;  // alerts raised in the folded events (the sequence)
  std::string id;
  std::string alert_type;
  std::string product_id;   // "" when not about a product
  std::string location_id;  // "" when not about a location
  std::string subject_id;   // the purchase order or order it is about
  std::string message;
  std::string severity;  // "info", "warning", "critical"
  bool resolved = false;
  std::string resolved_by;  // "auto" or the user who resolved it
  int64_t created_at_ms = 0;
  int64_t resolved_at_ms = 0;

  bool open() const { return exists && !resolved; }

  // The DESIGN.md §7 shape plus subjectId?, resolvedBy?, resolvedAt?.
  boost::json::object ToJson() const;

  void Apply(const core::Event& e);
  boost::json::object ToSnapshot() const;
  static core::Result<AlertState> FromSnapshot(const boost::json::object& o);
};

}  // namespace stockpile::domain::notifications

#endif  // STOCKPILE_DOMAIN_NOTIFICATIONS_ALERT_STATE_H_
