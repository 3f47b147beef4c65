#include "domain/billing/bill_state.h"

#include "core/status_macros.h"
#include "domain/common/json_fields.h"
#include "domain/common/money.h"

namespace stockpile::domain::billing {

std::string BillStream(std::string_view order_id) {
  return "bill-" + std::string(order_id);
}

std::string BillId(std::string_view order_id) {
  return "bill-" + std::string(order_id);
}

boost::json::object BillState::ToJson() const {
  boost::json::object o{{"id", id},
                        {"orderId", order_id},
                        {"amount", common::MoneyToJson(amount_minor)},
                        {"currency", currency},
                        {"status", status},
                        {"failedPayments", failed_payments}};
  if (!paid_by.empty()) o["paymentId"] = paid_by;
  return o;
}

void BillState::Apply(const core::Event& e) {
  if (e.event_type == kBillCreated) {
    exists = true;
    id = common::JsonString(e.payload, "billId");
    order_id = common::JsonString(e.payload, "orderId");
    currency = common::JsonString(e.payload, "currency");
    if (const boost::json::value* v = e.payload.if_contains("amount")) {
      core::Result<int64_t> m = common::ParseMoney(*v, "amount");
      if (m.ok()) amount_minor = *m;
    }
    status = "open";
  } else if (e.event_type == kPaymentFailed) {
    ++failed_payments;
    if (status != "paid") status = "failed";
  } else if (e.event_type == kBillPaid) {
    status = "paid";
    paid_by = common::JsonString(e.payload, "paymentId");
  }
}

core::Result<BillState> BillState::FromSnapshot(const boost::json::object& o) {
  BillState s;
  s.exists = true;
  s.id = common::JsonString(o, "id");
  s.order_id = common::JsonString(o, "orderId");
  s.currency = common::JsonString(o, "currency");
  s.status = common::JsonString(o, "status");
  s.paid_by = common::JsonString(o, "paymentId");
  s.failed_payments = common::JsonInt(o, "failedPayments");
  if (const boost::json::value* v = o.if_contains("amount")) {
    ASSIGN_OR_RETURN(s.amount_minor, common::ParseMoney(*v, "amount"));
  }
  return s;
}

}  // namespace stockpile::domain::billing
