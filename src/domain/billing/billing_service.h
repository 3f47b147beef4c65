// BillingService: a bill per confirmed order and the payments against it
// (DESIGN.md §4.4).
//
//   order.confirmed -> HandleOrderConfirmed -> bill.created (open)
//   RecordPayment(succeeded) -> payment.succeeded + bill.paid
//                               (the orders service then marks the order paid)
//   RecordPayment(failed)    -> payment.failed (bill failed until paid)
//
// All of one bill's events are in its stream, appended with the version
// they were decided on, so two concurrent payments cannot both pay it.
//
// Errors: InvalidArgument (bad payment: unknown status, amount differing
// from the bill's), FailedPrecondition (no bill yet: the order is not
// confirmed), Conflict (the bill is already paid), NotFound (GetBill).
//
// Ownership: borrows DomainDeps. Thread-safety: safe for concurrent use.
#ifndef STOCKPILE_DOMAIN_BILLING_BILLING_SERVICE_H_
#define STOCKPILE_DOMAIN_BILLING_BILLING_SERVICE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "core/event.h"
#include "core/result.h"
#include "domain/billing/bill_state.h"
#include "domain/common/aggregate_repository.h"
#include "domain/common/command_context.h"
#include "runtime/consumer_options.h"

namespace stockpile::domain::billing {

struct Payment {
  std::string payment_id;  // "" = assigned ("pay-<uuidv7>")
  std::string order_id;
  int64_t amount_minor = 0;
  std::string status;  // "succeeded" or "failed"
  std::string reason;  // for a failure
};

struct PaymentResult {
  std::string payment_id;
  std::string status;  // "succeeded" or "failed"
  BillState bill;      // after the payment
};

class BillingService {
 public:
  explicit BillingService(const common::DomainDeps& deps);

  // Opens the order's bill (idempotent: an existing bill is left alone).
  // InvalidArgument when the event lacks totalAmount or currency.
  core::Status HandleOrderConfirmed(const core::Event& order_confirmed);

  core::Result<PaymentResult> RecordPayment(const common::CommandContext& ctx,
                                            Payment payment);

  core::Result<BillState> GetBill(std::string_view tenant,
                                  std::string_view order_id) const;

 private:
  // Immutable after construction.
  const common::DomainDeps deps_;
  common::AggregateRepository<BillState> bills_;
};

inline constexpr std::string_view kBillingSubscription = "billing.bills";

// order.confirmed -> HandleOrderConfirmed. The caller adds the retry policy
// and workers; `billing` must outlive the consumer.
runtime::ConsumerOptions BillingSubscription(BillingService& billing);

}  // namespace stockpile::domain::billing

#endif  // STOCKPILE_DOMAIN_BILLING_BILLING_SERVICE_H_
