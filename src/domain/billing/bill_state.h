// BillState: the bill of one confirmed order (stream "bill-<orderId>"),
// folded from bill.created, payment.succeeded / payment.failed and
// bill.paid (DESIGN.md §7 bill shape {id, orderId, amount, currency,
// status}; status open, paid or failed — failed until a later payment
// succeeds).
//
// Thread-safety: a plain value.
#ifndef STOCKPILE_DOMAIN_BILLING_BILL_STATE_H_
#define STOCKPILE_DOMAIN_BILLING_BILL_STATE_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/event.h"
#include "core/result.h"

namespace stockpile::domain::billing {

inline constexpr std::string_view kBillCreated = "bill.created";
inline constexpr std::string_view kBillPaid = "bill.paid";
inline constexpr std::string_view kPaymentSucceeded = "payment.succeeded";
inline constexpr std::string_view kPaymentFailed = "payment.failed";

std::string BillStream(std::string_view order_id);
std::string BillId(std::string_view order_id);

struct BillState {
  static constexpr int kSnapshotSchema = 1;

  bool exists = false;
  std::string id;
  std::string order_id;
  int64_t amount_minor = 0;
  std::string currency;
  std::string status;           // "open", "paid", "failed"
  std::string paid_by;          // the payment that paid it
  int64_t failed_payments = 0;  // attempts that failed

  // {id, orderId, amount, currency, status, paymentId?, failedPayments}.
  boost::json::object ToJson() const;

  void Apply(const core::Event& e);
  boost::json::object ToSnapshot() const { return ToJson(); }
  static core::Result<BillState> FromSnapshot(const boost::json::object& o);
};

}  // namespace stockpile::domain::billing

#endif  // STOCKPILE_DOMAIN_BILLING_BILL_STATE_H_
