#include "domain/billing/payment_ingest_subscription.h"

#include <string>

#include "domain/common/json_fields.h"
#include "domain/common/money.h"
#include "domain/integrations/integration_service.h"
#include "runtime/handler_outcome.h"

namespace stockpile::domain::billing {
namespace {

core::Status ApplyPayment(BillingService& billing, const core::Event& record) {
  const std::string_view type = integrations::RecordedType(record);
  if (type != "payment.succeeded" && type != "payment.failed") {
    return core::Status::Ok();
  }
  const boost::json::object& data = integrations::RecordedData(record);
  Payment p{.payment_id = common::JsonString(data, "paymentId"),
            .order_id = common::JsonString(data, "orderId"),
            .status = type == "payment.succeeded" ? "succeeded" : "failed",
            .reason = common::JsonString(data, "reason")};
  const boost::json::value* amount = data.if_contains("amount");
  if (amount == nullptr) return core::InvalidArgumentError("no amount");
  core::Result<int64_t> minor = common::ParseMoney(*amount, "amount");
  if (!minor.ok()) return minor.status();
  p.amount_minor = *minor;

  core::Result<BillState> bill = billing.GetBill(record.tenant_id, p.order_id);
  if (bill.ok() && bill->status == "paid" && bill->paid_by == p.payment_id) {
    return core::Status::Ok();  // a redelivery of the payment that paid it
  }
  common::CommandContext ctx{.tenant = record.tenant_id,
                             .cause = &record,
                             .event_id_seed = record.event_id};
  return billing.RecordPayment(ctx, std::move(p)).status();
}

}  // namespace

runtime::ConsumerOptions PaymentIngestSubscription(BillingService& billing) {
  runtime::ConsumerOptions options;
  options.name = std::string(kPaymentIngestSubscription);
  options.type_patterns = {std::string(integrations::kIntegrationReceived)};
  options.handler = [&billing](const core::EventPtr& e,
                               runtime::HandlerContext&) {
    core::Status s = ApplyPayment(billing, *e);
    // Paying a bill twice, or one that does not exist, will not work later.
    if (s.code() == core::StatusCode::kConflict) {
      return runtime::HandlerOutcome::Permanent(s.ToString());
    }
    return runtime::HandlerOutcome::FromStatus(s);
  };
  return options;
}

}  // namespace stockpile::domain::billing
