// The billing service's subscription to integration ingest: a payment
// gateway's callback, sent as an integration event, pays (or fails) the
// order's bill exactly as POST /payments does.
//
//   "billing.integrations"
//     integration.event.received with canonicalType payment.succeeded or
//     payment.failed -> BillingService::RecordPayment; others are ignored.
//
// The payment id is the sender's paymentId (or derived from the ingested
// eventId) and the command runs with event_id_seed = that eventId, so a
// redelivery after a crash is a no-op; a bill already paid by this very
// payment is success. An amount that does not match, or an order without a
// bill, is a permanent failure: parked with the reason.
//
// Ownership: the handler borrows `billing`, which must outlive the
// consumer. Thread-safety: the handler is safe for concurrent use.
#ifndef STOCKPILE_DOMAIN_BILLING_PAYMENT_INGEST_SUBSCRIPTION_H_
#define STOCKPILE_DOMAIN_BILLING_PAYMENT_INGEST_SUBSCRIPTION_H_

#include <string_view>

#include "domain/billing/billing_service.h"
#include "runtime/consumer_options.h"

namespace stockpile::domain::billing {

inline constexpr std::string_view kPaymentIngestSubscription =
    "billing.integrations";

runtime::ConsumerOptions PaymentIngestSubscription(BillingService& billing);

}  // namespace stockpile::domain::billing

#endif  // STOCKPILE_DOMAIN_BILLING_PAYMENT_INGEST_SUBSCRIPTION_H_
