#include "domain/billing/billing_service.h"

#include <boost/json/serialize.hpp>

#include "core/status_macros.h"
#include "domain/common/ids.h"
#include "domain/common/money.h"
#include "runtime/handler_outcome.h"

namespace stockpile::domain::billing {
namespace {

constexpr std::string_view kSource = "billing";
using Events = std::vector<core::Event>;

std::string Money(int64_t minor) {
  return boost::json::serialize(common::MoneyToJson(minor));
}

}  // namespace

BillingService::BillingService(const common::DomainDeps& deps)
    : deps_(deps), bills_(*deps.store, deps.repository) {}

core::Status BillingService::HandleOrderConfirmed(const core::Event& e) {
  std::string order_id(e.PayloadString("orderId"));
  if (order_id.empty()) order_id = e.aggregate_id;
  RETURN_IF_ERROR(common::ValidateId(order_id, "orderId"));
  const boost::json::value* total = e.payload.if_contains("totalAmount");
  const std::string currency(e.PayloadString("currency"));
  if (total == nullptr || currency.empty()) {
    return core::InvalidArgumentError(
        "order.confirmed without totalAmount and currency cannot be billed");
  }
  ASSIGN_OR_RETURN(int64_t amount, common::ParseMoney(*total, "totalAmount"));
  const common::CommandContext ctx{.tenant = e.tenant_id, .cause = &e};
  auto committed = bills_.Execute(
      e.tenant_id, BillStream(order_id),
      [&](const BillState& bill, int64_t) -> core::Result<Events> {
        if (bill.exists) return Events{};
        Events out;
        out.push_back(common::NewEvent(deps_, ctx, kSource,
                                       std::string(kBillCreated), "bill",
                                       BillId(order_id),
                                       {{"billId", BillId(order_id)},
                                        {"orderId", order_id},
                                        {"amount", common::MoneyToJson(amount)},
                                        {"currency", currency}}));
        return out;
      });
  return committed.status();
}

core::Result<PaymentResult> BillingService::RecordPayment(
    const common::CommandContext& ctx, Payment payment) {
  RETURN_IF_ERROR(common::ValidateId(payment.order_id, "orderId"));
  if (payment.payment_id.empty()) {
    payment.payment_id = "pay-" + deps_.ids->NextString();
  }
  RETURN_IF_ERROR(common::ValidateId(payment.payment_id, "paymentId"));
  if (payment.status != "succeeded" && payment.status != "failed") {
    return core::InvalidArgumentError(
        "status must be 'succeeded' or 'failed', not '" + payment.status + "'");
  }
  PaymentResult result;
  result.payment_id = payment.payment_id;
  result.status = payment.status;
  auto committed = bills_.Execute(
      ctx.tenant, BillStream(payment.order_id),
      [&](const BillState& bill, int64_t) -> core::Result<Events> {
        if (!bill.exists) {
          return core::FailedPreconditionError(
              "order '" + payment.order_id +
              "' has no bill: only a confirmed order can be paid");
        }
        if (bill.status == "paid") {
          return core::ConflictError("the bill of order '" + payment.order_id +
                                     "' is already paid by " + bill.paid_by);
        }
        if (payment.amount_minor != bill.amount_minor) {
          return core::InvalidArgumentError(
              "amount " + Money(payment.amount_minor) +
              " does not match the bill's " + Money(bill.amount_minor) + " " +
              bill.currency);
        }
        boost::json::object paid{
            {"paymentId", payment.payment_id},
            {"orderId", payment.order_id},
            {"amount", common::MoneyToJson(payment.amount_minor)},
            {"currency", bill.currency}};
        Events out;
        if (payment.status == "failed") {
          paid["reason"] = payment.reason.empty() ? "declined" : payment.reason;
          out.push_back(common::NewEvent(deps_, ctx, kSource,
                                         std::string(kPaymentFailed), "payment",
                                         payment.payment_id, std::move(paid)));
        } else {
          out.push_back(common::NewEvent(
              deps_, ctx, kSource, std::string(kPaymentSucceeded), "payment",
              payment.payment_id, std::move(paid)));
          out.push_back(common::NewEvent(
              deps_, ctx, kSource, std::string(kBillPaid), "bill", bill.id,
              {{"billId", bill.id},
               {"orderId", payment.order_id},
               {"paymentId", payment.payment_id}}));
        }
        result.bill = bill;
        for (const core::Event& ev : out) result.bill.Apply(ev);
        return out;
      });
  if (!committed.ok()) return committed.status();
  return result;
}

core::Result<BillState> BillingService::GetBill(
    std::string_view tenant, std::string_view order_id) const {
  RETURN_IF_ERROR(common::ValidateId(order_id, "orderId"));
  ASSIGN_OR_RETURN(auto loaded, bills_.Load(tenant, BillStream(order_id)));
  if (!loaded.state.exists) {
    return core::NotFoundError("order '" + std::string(order_id) +
                               "' has no bill");
  }
  return loaded.state;
}

runtime::ConsumerOptions BillingSubscription(BillingService& billing) {
  runtime::ConsumerOptions options;
  options.name = std::string(kBillingSubscription);
  options.type_patterns = {"order.confirmed"};
  options.handler = [&billing](const core::EventPtr& e,
                               runtime::HandlerContext&) {
    return runtime::HandlerOutcome::FromStatus(
        billing.HandleOrderConfirmed(*e));
  };
  return options;
}

}  // namespace stockpile::domain::billing
