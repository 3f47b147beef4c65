#include "domain/purchasing/purchase_order_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/time_format.h"
#include "domain/purchasing/purchasing_test_fixture.h"

namespace stockpile::domain::purchasing {
namespace {

using ::testing::ElementsAre;

class PurchaseOrderServiceTest : public PurchasingFixture {
 protected:
  // Given a purchase order of 50 x p1 and 10 x p2 from sup-1 ...
  PurchaseOrderState Given(std::optional<int64_t> auto_approve = {}) {
    auto po =
        orders_->Create(ctx_, {.supplier_id = "sup-1",
                               .lines = {{.product_id = "p1", .quantity = 50},
                                         {.product_id = "p2", .quantity = 10}},
                               .auto_approve_limit_minor = auto_approve});
    EXPECT_TRUE(po.ok()) << po.status();
    return po.ok() ? *po : PurchaseOrderState{};
  }

  std::vector<std::string> Types(const std::string& id) {
    return StreamTypes("acme", PurchaseOrderStream(id));
  }

  std::string Year() {
    int64_t y = 0;
    unsigned m = 0, d = 0;
    core::CivilFromDays(clock_.NowMillis() / 86'400'000, y, m, d);
    return std::to_string(y);
  }
};

TEST_P(PurchaseOrderServiceTest,
       CreatePricesFromTheSupplierAndNumbersPerTenant) {
  PurchaseOrderState first = Given();
  EXPECT_EQ(first.status, "pending");
  EXPECT_EQ(first.po_number, "PO-" + Year() + "-0001");
  EXPECT_EQ(first.lines[0].unit_cost_minor, 150);
  EXPECT_EQ(first.lines[1].unit_cost_minor, 300);
  EXPECT_EQ(first.total_minor, 50 * 150 + 10 * 300);
  EXPECT_THAT(Types(first.id), ElementsAre("purchasing.order.created"));
  EXPECT_EQ(Given().po_number, "PO-" + Year() + "-0002");

  // Another tenant counts from 1; a given unit cost wins over the list.
  auto other = orders_->Create(
      {.tenant = "globex", .user_id = "u-2"},
      {.supplier_id = "sup-1",
       .lines = {{.product_id = "p3", .quantity = 2, .unit_cost_minor = 75}}});
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_EQ(other->po_number, "PO-" + Year() + "-0001");
  EXPECT_EQ(other->total_minor, 150);

  // The stored stream folds to the same state.
  auto loaded = orders_->Get("acme", first.id);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->ToJson(), first.ToJson());
}

TEST_P(PurchaseOrderServiceTest, AutoApprovedOnlyUnderTheLimit) {
  // Total 105.00: a limit of 105.01 approves, 105.00 does not.
  PurchaseOrderState under = Given(10501);
  EXPECT_EQ(under.status, "approved");
  EXPECT_EQ(under.approved_by, "auto");
  EXPECT_THAT(Types(under.id), ElementsAre("purchasing.order.created",
                                           "purchasing.order.approved"));
  PurchaseOrderState at = Given(10500);
  EXPECT_EQ(at.status, "pending");
  EXPECT_THAT(Types(at.id), ElementsAre("purchasing.order.created"));
}

TEST_P(PurchaseOrderServiceTest, ApproveThenReceivePartlyThenWholly) {
  PurchaseOrderState po = Given();
  // A pending purchase order cannot be received yet.
  EXPECT_EQ(orders_->Receive(ctx_, po.id, {{"p1", 1}}).status().code(),
            core::StatusCode::kConflict);
  auto approved = orders_->Approve(ctx_, po.id);
  ASSERT_TRUE(approved.ok()) << approved.status();
  EXPECT_EQ(approved->status, "approved");
  EXPECT_EQ(approved->approved_by, "u-1");
  EXPECT_EQ(orders_->Approve(ctx_, po.id).status().code(),
            core::StatusCode::kConflict);

  // Two lines of one product are summed.
  auto part = orders_->Receive(ctx_, po.id, {{"p1", 15}, {"p1", 5}});
  ASSERT_TRUE(part.ok()) << part.status();
  EXPECT_EQ(part->status, "partially_received");
  EXPECT_EQ(part->lines[0].received, 20);
  EXPECT_EQ(part->lines[1].received, 0);

  auto rest = orders_->Receive(ctx_, po.id, {{"p1", 30}, {"p2", 10}});
  ASSERT_TRUE(rest.ok()) << rest.status();
  EXPECT_EQ(rest->status, "received");
  EXPECT_THAT(
      Types(po.id),
      ElementsAre("purchasing.order.created", "purchasing.order.approved",
                  "purchasing.order.received", "purchasing.order.received"));
  const std::vector<core::EventPtr> events = Events(PurchaseOrderStream(po.id));
  EXPECT_EQ(events[2]->payload.at("receiptNumber"), 1);
  EXPECT_EQ(events[3]->payload.at("receiptNumber"), 2);
  EXPECT_EQ(events[3]->payload.at("locationId"), "main");
  EXPECT_EQ(orders_->Cancel(ctx_, po.id).status().code(),
            core::StatusCode::kConflict);
}

TEST_P(PurchaseOrderServiceTest, OverReceiptIsRefusedAndChangesNothing) {
  PurchaseOrderState po = Given();
  ASSERT_TRUE(orders_->Approve(ctx_, po.id).ok());
  ASSERT_TRUE(orders_->Receive(ctx_, po.id, {{"p2", 8}}).ok());
  auto over = orders_->Receive(ctx_, po.id, {{"p1", 1}, {"p2", 3}});
  EXPECT_EQ(over.status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_THAT(over.status().message(), ::testing::HasSubstr("over-receipt"));
  EXPECT_EQ(orders_->Receive(ctx_, po.id, {{"p3", 1}}).status().code(),
            core::StatusCode::kInvalidArgument);
  EXPECT_EQ(orders_->Receive(ctx_, po.id, {{"p1", 0}}).status().code(),
            core::StatusCode::kInvalidArgument);
  EXPECT_EQ(orders_->Receive(ctx_, po.id, {}).status().code(),
            core::StatusCode::kInvalidArgument);
  auto now = orders_->Get("acme", po.id);
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->lines[0].received, 0);
  EXPECT_EQ(now->lines[1].received, 8);
  EXPECT_EQ(Types(po.id).size(), 3u);
}

TEST_P(PurchaseOrderServiceTest, CancelOnlyPendingOrApproved) {
  PurchaseOrderState pending = Given();
  auto cancelled = orders_->Cancel(ctx_, pending.id);
  ASSERT_TRUE(cancelled.ok()) << cancelled.status();
  EXPECT_EQ(cancelled->status, "cancelled");
  EXPECT_FALSE(cancelled->IsOpen());
  EXPECT_EQ(cancelled->Outstanding("p1"), 0);
  EXPECT_EQ(orders_->Approve(ctx_, pending.id).status().code(),
            core::StatusCode::kConflict);

  PurchaseOrderState approved = Given(1'000'000);
  ASSERT_TRUE(orders_->Cancel(ctx_, approved.id).ok());
  EXPECT_THAT(Types(approved.id), ElementsAre("purchasing.order.created",
                                              "purchasing.order.approved",
                                              "purchasing.order.cancelled"));
}

TEST_P(PurchaseOrderServiceTest, BadOrdersAreRefusedFieldByField) {
  using L = std::vector<NewPurchaseOrderLine>;
  auto code = [&](NewPurchaseOrder o) {
    return orders_->Create(ctx_, std::move(o)).status().code();
  };
  const auto bad = core::StatusCode::kInvalidArgument;
  EXPECT_EQ(code({.supplier_id = "sup-1"}), bad);  // no lines
  EXPECT_EQ(code({.supplier_id = "nobody", .lines = L{{"p1", 1}}}), bad);
  EXPECT_EQ(code({.supplier_id = "sup-1", .lines = L{{"ghost", 1}}}), bad);
  EXPECT_EQ(code({.supplier_id = "sup-1", .lines = L{{"p1", 0}}}), bad);
  EXPECT_EQ(code({.supplier_id = "sup-1", .lines = L{{"p1", 1}, {"p1", 2}}}),
            bad);
  EXPECT_EQ(code({.supplier_id = "sup-1",
                  .location_id = "nowhere",
                  .lines = L{{"p1", 1}}}),
            bad);
  // No price on the supplier's list and none given.
  auto unpriced =
      orders_->Create(ctx_, {.supplier_id = "sup-1", .lines = L{{"p3", 1}}});
  EXPECT_EQ(unpriced.status().code(), bad);
  EXPECT_THAT(unpriced.status().message(), ::testing::HasSubstr("unitCost"));
  EXPECT_EQ(
      code({.supplier_id = "sup-1",
            .lines =
                L{{.product_id = "p1", .quantity = 1, .unit_cost_minor = -1}}}),
      bad);
  // A taken id.
  PurchaseOrderState po = Given();
  EXPECT_EQ(code({.id = po.id, .supplier_id = "sup-1", .lines = L{{"p1", 1}}}),
            core::StatusCode::kAlreadyExists);
}

TEST_P(PurchaseOrderServiceTest, AnotherTenantsPurchaseOrderIsNotFound) {
  PurchaseOrderState po = Given();
  const common::CommandContext globex{.tenant = "globex", .user_id = "u-2"};
  EXPECT_EQ(orders_->Get("globex", po.id).status().code(),
            core::StatusCode::kNotFound);
  EXPECT_EQ(orders_->Approve(globex, po.id).status().code(),
            core::StatusCode::kNotFound);
  EXPECT_EQ(orders_->Receive(globex, po.id, {{"p1", 1}}).status().code(),
            core::StatusCode::kNotFound);
  EXPECT_EQ(orders_->Cancel(globex, po.id).status().code(),
            core::StatusCode::kNotFound);
}

TEST_P(PurchaseOrderServiceTest, SnapshotFoldsToTheSameState) {
  PurchaseOrderState po = Given(1'000'000);
  auto received = orders_->Receive(ctx_, po.id, {{"p1", 7}});
  ASSERT_TRUE(received.ok()) << received.status();
  auto back = PurchaseOrderState::FromSnapshot(received->ToSnapshot());
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->ToJson(), received->ToJson());
  EXPECT_EQ(back->receipts, 1);
  EXPECT_EQ(back->Outstanding("p1"), 43);
}

TEST_P(PurchaseOrderServiceTest,
       ExpectedDeliveryCountsTheSuppliersBusinessDays) {
  ASSERT_TRUE(catalog_
                  ->CreateSupplier(ctx_, {.id = "sup-id",
                                          .name = "Jakarta Co",
                                          .lead_time_days = 5,
                                          .region = "ID",
                                          .prices_minor = {{"p1", 100}}})
                  .ok());
  At("2026-03-13T03:00:00Z");  // Friday 10:00 in Jakarta
  auto po = orders_->Create(
      ctx_, {.supplier_id = "sup-id", .lines = {{"p1", 10, std::nullopt}}});
  ASSERT_TRUE(po.ok()) << po.status();
  // Five Indonesian business days: Monday 16 to Thursday 19, then Eid
  // al-Fitr (Friday 20 March, 1 Shawwal 1447) and the weekend, Monday 23.
  EXPECT_EQ(po->expected_delivery_date, "2026-03-23");
  EXPECT_EQ(po->lead_time_days, 5);
  EXPECT_EQ(po->lead_time_region, "ID");
  const boost::json::object json = po->ToJson();
  EXPECT_EQ(json.at("expectedDeliveryDate"), "2026-03-23");
  EXPECT_EQ(json.at("leadTimeRegion"), "ID");
  auto events = Events(PurchaseOrderStream(po->id));
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0]->payload.at("expectedDeliveryDate"), "2026-03-23");
  auto loaded = orders_->Get("acme", po->id);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->expected_delivery_date, "2026-03-23");

  // A lead time given with the order wins over the supplier's.
  auto rush = orders_->Create(ctx_, {.supplier_id = "sup-id",
                                     .lines = {{"p1", 1, std::nullopt}},
                                     .lead_time_days = 1});
  ASSERT_TRUE(rush.ok()) << rush.status();
  EXPECT_EQ(rush->expected_delivery_date, "2026-03-16");

  // Neither supplier nor tenant has a region: plain calendar days.
  auto plain = orders_->Create(
      ctx_, {.supplier_id = "sup-1", .lines = {{"p1", 1, std::nullopt}}});
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(plain->expected_delivery_date, "2026-03-16");  // 3 days
  EXPECT_EQ(plain->lead_time_region, "");
  EXPECT_TRUE(plain->ToJson().at("leadTimeRegion").is_null());
}

TEST_P(PurchaseOrderServiceTest, TheTenantsRegionIsTheDefaultWithItsHolidays) {
  Settings(R"({"region": "ID", "holidays": ["2026-03-16"]})");
  // Thursday 20:00 UTC is already Friday 03:00 in Jakarta: the order day.
  At("2026-03-12T20:00:00Z");
  auto po = orders_->Create(
      ctx_, {.supplier_id = "sup-1", .lines = {{"p1", 1, std::nullopt}}});
  ASSERT_TRUE(po.ok()) << po.status();
  // Three business days from Friday 13, Monday 16 a holiday of the tenant.
  EXPECT_EQ(po->expected_delivery_date, "2026-03-19");
  EXPECT_EQ(po->lead_time_region, "ID");

  // A supplier in the tenant's region: the same calendar.
  ASSERT_TRUE(catalog_
                  ->UpdateSupplier(ctx_, {.id = "sup-1",
                                          .name = "Supplier",
                                          .lead_time_days = 3,
                                          .region = "ID",
                                          .prices_minor = {{"p1", 150}}})
                  .ok());
  auto same = orders_->Create(
      ctx_, {.supplier_id = "sup-1", .lines = {{"p1", 1, std::nullopt}}});
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_EQ(same->expected_delivery_date, "2026-03-19");

  // Another tenant without settings counts calendar days from its UTC day.
  auto other = orders_->Create(
      {.tenant = "globex", .user_id = "u-2"},
      {.supplier_id = "sup-1", .lines = {{"p1", 1, std::nullopt}}});
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_EQ(other->expected_delivery_date, "2026-03-15");
}

TEST_P(PurchaseOrderServiceTest, DocumentsAttachToAnOrderAndSurviveASnapshot) {
  PurchaseOrderState po = Given();
  auto doc =
      orders_->AttachDocument(ctx_, po.id,
                              {.file_name = "invoice 7.pdf",
                               .content_type = "application/pdf",
                               .size_bytes = 48213,
                               .url = "https://files.example.com/inv-7.pdf"});
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_TRUE(doc->at("documentId").as_string().starts_with("doc-"));
  EXPECT_EQ(doc->at("fileName").as_string(), "invoice 7.pdf");
  EXPECT_EQ(doc->at("sizeBytes").as_int64(), 48213);
  EXPECT_FALSE(doc->contains("purchaseOrderId"));
  ASSERT_TRUE(orders_
                  ->AttachDocument(ctx_, po.id,
                                   {.file_name = "delivery note",
                                    .content_type = "image/png",
                                    .size_bytes = 0})
                  .ok());
  EXPECT_THAT(Types(po.id),
              ElementsAre("purchasing.order.created", "document.uploaded",
                          "document.uploaded"));
  auto read = orders_->Get("acme", po.id);
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->documents.size(), 2u);
  EXPECT_EQ(read->ToJson().at("documents").as_array().size(), 2u);
  // The description round-trips through a snapshot.
  auto restored = PurchaseOrderState::FromSnapshot(read->ToSnapshot());
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_EQ(restored->documents, read->documents);
}

TEST_P(PurchaseOrderServiceTest, BadDocumentsAreRefusedNamingTheField) {
  PurchaseOrderState po = Given();
  const NewDocument good{
      .file_name = "a.pdf", .content_type = "application/pdf", .size_bytes = 1};
  for (const auto& [bad, field] :
       std::vector<std::pair<NewDocument, std::string>>{
           {{.file_name = "", .content_type = "a/b"}, "fileName"},
           {{.file_name = "a\nb", .content_type = "a/b"}, "fileName"},
           {{.file_name = "a", .content_type = "pdf"}, "contentType"},
           {{.file_name = "a", .content_type = "a/b", .size_bytes = -1},
            "sizeBytes"},
           {{.file_name = "a", .content_type = "a/b", .url = "file:///etc/x"},
            "url"},
       }) {
    auto r = orders_->AttachDocument(ctx_, po.id, bad);
    ASSERT_EQ(r.status().code(), core::StatusCode::kInvalidArgument) << field;
    EXPECT_NE(r.status().message().find(field), std::string::npos)
        << r.status();
  }
  EXPECT_EQ(orders_->AttachDocument(ctx_, "po-nobody", good).status().code(),
            core::StatusCode::kNotFound);
  EXPECT_THAT(Types(po.id), ElementsAre("purchasing.order.created"));
}

INSTANTIATE_TEST_SUITE_P(Stores, PurchaseOrderServiceTest, testing::kAllStores,
                         testing::StoreName);

}  // namespace
}  // namespace stockpile::domain::purchasing
