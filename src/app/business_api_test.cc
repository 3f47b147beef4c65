// The business HTTP API against a real server on an ephemeral loopback port
// with a SQLite store: catalog, inventory and the order saga end to end,
// idempotency (also across a restart), roles and tenant isolation.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <set>
#include <string>
#include <thread>

#include "app/api_server_fixture.h"
#include "core/event.h"
#include "core/uuid.h"

namespace stockpile::app {
namespace {

using std::chrono::seconds;

class BusinessApiTest : public ApiServerFixture {
 protected:
  // Polls the order until it leaves `from` (the saga runs in the
  // background); gives up after 20 s.
  std::string SettledStatus(const std::string& id,
                            const std::string& token = "",
                            const std::string& from = "pending") {
    const auto deadline = std::chrono::steady_clock::now() + seconds(20);
    std::string status;
    while (std::chrono::steady_clock::now() < deadline) {
      Reply o = Call("GET", "/api/v1/orders/" + id, "", token);
      if (o.status != 200) return "http " + std::to_string(o.status);
      status = std::string(o.body.at("status").as_string());
      if (status != from) return status;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return status;
  }

  // Places an order for `quantity` of `product`, waits for the saga to
  // confirm it and pays its bill of `amount` (a JSON number); returns the
  // order's id, or "" (with a test failure) when a step fails.
  std::string PlacePaidOrder(const std::string& product, int quantity,
                             const std::string& amount) {
    Reply placed =
        Call("POST", "/api/v1/orders",
             R"({"items":[{"productId":")" + product + R"(","quantity":)" +
                 std::to_string(quantity) + "}]}");
    EXPECT_EQ(placed.status, 201) << placed.body;
    if (placed.status != 201) return "";
    const std::string id(placed.body.at("id").as_string());
    EXPECT_EQ(SettledStatus(id), "confirmed");
    Reply paid;
    for (int i = 0; i < 2000; ++i) {  // the bill opens moments after
      paid = Call("POST", "/api/v1/payments",
                  R"({"orderId":")" + id + R"(","amount":)" + amount +
                      R"(,"status":"succeeded"})");
      if (paid.status == 201) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_EQ(paid.status, 201) << paid.body;
    if (SettledStatus(id, "", "confirmed") != "paid") {
      ADD_FAILURE() << "order " << id << " was not paid";
      return "";
    }
    return id;
  }

  int64_t Int(const boost::json::value& v, const char* key) {
    return v.at(key).as_int64();
  }
};

TEST_F(BusinessApiTest, ProductLifecycle) {
  Reply created = Call("POST", "/api/v1/products",
                       R"({"id":"p-1","sku":"A-1","name":"Apple",)"
                       R"("price":1.25,"reorderPoint":5})");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.headers.Get("Location").value_or(""),
            "/api/v1/products/p-1");
  EXPECT_EQ(created.body.at("id"), "p-1");
  EXPECT_EQ(created.body.at("price").to_number<double>(), 1.25);

  // The sku is unique per tenant.
  EXPECT_EQ(Call("POST", "/api/v1/products",
                 R"({"sku":"A-1","name":"Other","price":1})")
                .status,
            409);
  Reply patched =
      Call("PATCH", "/api/v1/products/p-1", R"({"name":"Green apple"})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.body.at("name"), "Green apple");
  EXPECT_EQ(Call("GET", "/api/v1/products/p-1").body.at("name"), "Green apple");

  // The list is a read model: wait until it shows the product.
  bool listed = false;
  for (int i = 0; i < 500 && !listed; ++i) {
    Reply list = Call("GET", "/api/v1/products?q=green");
    ASSERT_EQ(list.status, 200);
    listed = list.body.at("items").as_array().size() == 1;
    if (!listed) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(listed);

  EXPECT_EQ(Call("DELETE", "/api/v1/products/p-1").status, 204);
  EXPECT_EQ(Call("GET", "/api/v1/products/p-1").status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/products/nope").status, 404);
}

TEST_F(BusinessApiTest, RefusesBadBodiesWithProblems) {
  Reply malformed = Call("POST", "/api/v1/products", "{\"sku\": ");
  EXPECT_EQ(malformed.status, 400);
  Reply wrong_type = Call("POST", "/api/v1/products",
                          R"({"sku":"B-1","name":"B","price":"cheap"})");
  EXPECT_EQ(wrong_type.status, 422);
  EXPECT_NE(std::string(wrong_type.body.at("detail").as_string()).find("price"),
            std::string::npos)
      << wrong_type.body;
  EXPECT_EQ(
      Call("POST", "/api/v1/products", R"({"name":"no sku","price":1})").status,
      422);
  EXPECT_EQ(Call("POST", "/api/v1/products", "[1,2]").status, 400);
  EXPECT_EQ(Call("POST", "/api/v1/inventory/receipts",
                 R"({"productId":"unknown","quantity":5})")
                .status,
            404);
  EXPECT_EQ(Call("POST", "/api/v1/orders",
                 R"({"items":[{"productId":"unknown","quantity":1}]})")
                .status,
            422);
  EXPECT_EQ(Call("POST", "/api/v1/orders", R"({"items":[]})").status, 422);
  EXPECT_EQ(Call("GET", "/api/v1/orders?status=lost").status, 400);
}

TEST_F(BusinessApiTest, OrderSagaConfirmsRejectsShipsAndCancels) {
  CreateProduct("p-1", 10);
  Reply placed = Call("POST", "/api/v1/orders",
                      R"({"customerId":"c-1","items":[)"
                      R"({"productId":"p-1","quantity":4}]})");
  ASSERT_EQ(placed.status, 201) << placed.body;
  const std::string id(placed.body.at("id").as_string());
  EXPECT_EQ(placed.body.at("status"), "pending");
  EXPECT_EQ(SettledStatus(id), "confirmed");
  Reply inv = Call("GET", "/api/v1/products/p-1/inventory");
  EXPECT_EQ(Int(inv.body, "reserved"), 4);
  EXPECT_EQ(Int(inv.body, "available"), 6);

  // More than is available: accepted, then rejected, holding nothing.
  Reply big = Call("POST", "/api/v1/orders",
                   R"({"items":[{"productId":"p-1","quantity":7}]})");
  ASSERT_EQ(big.status, 201);
  EXPECT_EQ(SettledStatus(std::string(big.body.at("id").as_string())),
            "rejected");
  EXPECT_EQ(Int(Call("GET", "/api/v1/products/p-1/inventory").body, "reserved"),
            4);

  // Shipping needs payment first (confirmed -> paid -> shipped): 409.
  EXPECT_EQ(Call("POST", "/api/v1/orders/" + id + "/ship").status, 409);
  // Billing opened a bill for the confirmed order (4 x 2.50).
  Reply bills;
  for (int i = 0; i < 2000; ++i) {
    bills = Call("GET", "/api/v1/bills?orderId=" + id);
    if (!bills.body.at("items").as_array().empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(bills.body.at("items").as_array().size(), 1u) << bills.body;
  EXPECT_EQ(bills.body.at("items").at(0).at("amount").to_number<double>(), 10);
  EXPECT_EQ(
      Call("POST", "/api/v1/payments",
           R"({"orderId":")" + id + R"(","amount":9,"status":"succeeded"})")
          .status,
      422);
  EXPECT_EQ(Call("POST", "/api/v1/payments",
                 R"({"orderId":")" + id + R"(","amount":10,"status":"failed"})")
                .status,
            201);
  Reply paid =
      Call("POST", "/api/v1/payments",
           R"({"orderId":")" + id + R"(","amount":10,"status":"succeeded"})");
  ASSERT_EQ(paid.status, 201) << paid.body;
  EXPECT_EQ(paid.body.at("bill").at("status"), "paid");
  EXPECT_EQ(
      Call("POST", "/api/v1/payments",
           R"({"orderId":")" + id + R"(","amount":10,"status":"succeeded"})")
          .status,
      409);
  EXPECT_EQ(SettledStatus(id, "", "confirmed"), "paid");

  // Shipping commits the reservation: onHand falls.
  Reply shipped = Call("POST", "/api/v1/orders/" + id + "/ship");
  EXPECT_EQ(shipped.status, 200) << shipped.body;
  int64_t on_hand = 0;
  for (int i = 0; i < 2000; ++i) {
    on_hand = Int(Call("GET", "/api/v1/products/p-1/inventory").body, "onHand");
    if (on_hand == 6) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(on_hand, 6);
  // A shipped order cannot be cancelled: 409.
  EXPECT_EQ(Call("POST", "/api/v1/orders/" + id + "/cancel").status, 409);

  // Cancelling a confirmed order releases its stock.
  Reply second = Call("POST", "/api/v1/orders",
                      R"({"items":[{"productId":"p-1","quantity":2}]})");
  const std::string second_id(second.body.at("id").as_string());
  EXPECT_EQ(SettledStatus(second_id), "confirmed");
  EXPECT_EQ(Call("POST", "/api/v1/orders/" + second_id + "/cancel",
                 R"({"reason":"customer changed mind"})")
                .status,
            200);
  int64_t reserved = -1;
  const auto until = std::chrono::steady_clock::now() + seconds(20);
  while (std::chrono::steady_clock::now() < until) {
    reserved =
        Int(Call("GET", "/api/v1/products/p-1/inventory").body, "reserved");
    if (reserved == 0) break;  // the first order shipped
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(reserved, 0);

  Reply list = Call("GET", "/api/v1/orders?limit=2");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body.at("items").as_array().size(), 2u);
  EXPECT_FALSE(list.body.at("next").is_null());
}

TEST_F(BusinessApiTest, ShipWaitsForBackordersToBeFilled) {
  // Given a paid order for 3 of a backorderable product with 1 in stock.
  Reply product = Call("POST", "/api/v1/products",
                       R"({"id":"p-b","sku":"SKU-b","name":"B","price":2.5,)"
                       R"("allowBackorder":true})");
  ASSERT_EQ(product.status, 201) << product.body;
  auto receive = [&](int quantity) {
    Reply r = Call(
        "POST", "/api/v1/inventory/receipts",
        R"({"productId":"p-b","quantity":)" + std::to_string(quantity) + "}");
    ASSERT_EQ(r.status, 201) << r.body;
  };
  receive(1);
  const std::string id = PlacePaidOrder("p-b", 3, "7.5");
  ASSERT_FALSE(id.empty());

  // When it is shipped with 2 on backorder: 409, a problem naming them.
  Reply refused = Call("POST", "/api/v1/orders/" + id + "/ship");
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(refused.headers.Get("Content-Type").value_or(""),
            "application/problem+json");
  EXPECT_NE(refused.body.at("detail").as_string().find(
                "2 of 'p-b' at 'main' still on backorder"),
            std::string::npos)
      << refused.body;
  EXPECT_EQ(Call("GET", "/api/v1/orders/" + id).body.at("status"), "paid");

  // Then once a receipt fills the backorder, it ships and stock leaves.
  receive(2);
  Reply shipped;
  for (int i = 0; i < 2000; ++i) {  // the fill reaches orders moments after
    shipped = Call("POST", "/api/v1/orders/" + id + "/ship");
    if (shipped.status != 409) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(shipped.status, 200) << shipped.body;
  int64_t on_hand = -1;
  for (int i = 0; i < 2000 && on_hand != 0; ++i) {
    on_hand = Int(Call("GET", "/api/v1/products/p-b/inventory").body, "onHand");
    if (on_hand != 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(on_hand, 0);
}

TEST_F(BusinessApiTest, IdempotencyKeyReplaysAndSurvivesRestart) {
  CreateProduct("p-1", 10);
  const std::string body = R"({"items":[{"productId":"p-1","quantity":1}]})";
  Reply first = Call("POST", "/api/v1/orders", body, "", "key-1");
  ASSERT_EQ(first.status, 201);
  Reply again = Call("POST", "/api/v1/orders", body, "", "key-1");
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.body.at("id"), first.body.at("id"));
  EXPECT_EQ(again.headers.Get("Idempotent-Replayed").value_or(""), "true");
  EXPECT_EQ(Call("POST", "/api/v1/orders",
                 R"({"items":[{"productId":"p-1","quantity":2}]})", "", "key-1")
                .status,
            422);

  // After a restart the cache is gone, but the order id derives from the
  // key: the retry finds the first order.
  app_.reset();
  StartServer();
  Reply after = Call("POST", "/api/v1/orders", body, "", "key-1");
  EXPECT_EQ(after.status, 201) << after.body;
  EXPECT_EQ(after.body.at("id"), first.body.at("id"));
  EXPECT_EQ(SettledStatus(std::string(first.body.at("id").as_string())),
            "confirmed");
  EXPECT_EQ(Int(Call("GET", "/api/v1/products/p-1/inventory").body, "reserved"),
            1);
}

TEST_F(BusinessApiTest, RolesAndTenantsAreEnforced) {
  CreateProduct("p-1", 5);
  const std::string viewer = Token("acme", api::Role::kViewer);
  const std::string clerk = Token("acme", api::Role::kClerk);
  EXPECT_EQ(Call("GET", "/api/v1/products/p-1", "", viewer).status, 200);
  EXPECT_EQ(Call("POST", "/api/v1/orders",
                 R"({"items":[{"productId":"p-1","quantity":1}]})", viewer)
                .status,
            403);
  EXPECT_EQ(Call("POST", "/api/v1/products",
                 R"({"sku":"X","name":"X","price":1})", clerk)
                .status,
            403);
  EXPECT_EQ(Call("POST", "/api/v1/orders",
                 R"({"items":[{"productId":"p-1","quantity":1}]})", clerk)
                .status,
            201);

  // Another tenant sees nothing of acme's and cannot order its product.
  const std::string other = Token("globex", api::Role::kAdmin);
  EXPECT_EQ(Call("GET", "/api/v1/products/p-1", "", other).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/products/p-1/inventory", "", other).status,
            404);
  EXPECT_EQ(Call("POST", "/api/v1/orders",
                 R"({"items":[{"productId":"p-1","quantity":1}]})", other)
                .status,
            422);
  Reply list = Call("GET", "/api/v1/orders", "", other);
  EXPECT_EQ(list.body.at("items").as_array().size(), 0u);
  // The same product id in the other tenant is its own product.
  CreateProduct("p-1", 0, other);
}

TEST_F(BusinessApiTest, ReplenishmentRulesAreValidatedFieldByField) {
  CreateProduct("p-1", 0);
  ASSERT_EQ(Call("POST", "/api/v1/suppliers",
                 R"({"id":"sup-1","name":"S","prices":{"p-1":1.25}})")
                .status,
            201);
  const std::string rule = "/api/v1/replenishment-rules/p-1";
  EXPECT_EQ(Call("PUT", rule, "[1]").status, 400);
  // Each bad field is a 422 whose detail names it.
  for (const auto& [body, field] :
       std::vector<std::pair<std::string, std::string>>{
           {R"({"reorderPoint":"x","reorderQuantity":5,"supplierId":"sup-1"})",
            "reorderPoint"},
           {R"({"reorderPoint":2,"supplierId":"sup-1"})", "reorderQuantity"},
           {R"({"reorderPoint":2,"reorderQuantity":0,"supplierId":"sup-1"})",
            "reorderQuantity"},
           {R"({"reorderPoint":2,"reorderQuantity":5,"minQuantity":1,)"
            R"("maxQuantity":9,"supplierId":"sup-1"})",
            "not both"},
           {R"({"reorderPoint":2,"minQuantity":3,"supplierId":"sup-1"})",
            "maxQuantity"},
           {R"({"reorderPoint":9,"minQuantity":3,"maxQuantity":8,)"
            R"("supplierId":"sup-1"})",
            "maxQuantity"},
           {R"({"reorderPoint":2,"reorderQuantity":5})", "supplierId"},
           {R"({"reorderPoint":2,"reorderQuantity":5,"supplierId":"nobody"})",
            "supplierId"},
           {R"({"reorderPoint":2,"reorderQuantity":5,"supplierId":"sup-1",)"
            R"("safetyStock":3})",
            "safetyStock"},
           {R"({"reorderPoint":2,"reorderQuantity":5,"supplierId":"sup-1",)"
            R"("leadTimeDays":-1})",
            "leadTimeDays"},
           {R"({"reorderPoint":2,"reorderQuantity":5,"supplierId":"sup-1",)"
            R"("autoApproveLimit":1.234})",
            "autoApproveLimit"},
           {R"({"reorderPoint":2,"reorderQuantity":5,"supplierId":"sup-1",)"
            R"("locationId":"nowhere"})",
            "locationId"},
       }) {
    Reply r = Call("PUT", rule, body);
    EXPECT_EQ(r.status, 422) << body;
    EXPECT_NE(r.body.at("detail").as_string().find(field), std::string::npos)
        << body << " -> " << r.body;
  }
  EXPECT_EQ(
      Call("PUT", "/api/v1/replenishment-rules/ghost",
           R"({"reorderPoint":2,"reorderQuantity":5,"supplierId":"sup-1"})")
          .status,
      404);
  const std::string good =
      R"({"reorderPoint":2,"reorderQuantity":5,"supplierId":"sup-1",)"
      R"("autoApproveLimit":100})";
  EXPECT_EQ(Call("PUT", rule, good, Token("acme", api::Role::kClerk)).status,
            403);
  Reply put = Call("PUT", rule, good);
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.body.at("locationId"), "main");
  EXPECT_EQ(put.body.at("reorderQuantity"), 5);
  EXPECT_EQ(put.body.at("autoApproveLimit").to_number<double>(), 100);
  bool listed = false;
  for (int i = 0; i < 2000 && !listed; ++i) {
    listed = Call("GET", "/api/v1/replenishment-rules?productId=p-1")
                 .body.at("items")
                 .as_array()
                 .size() == 1;
    if (!listed) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(listed);
  Reply other = Call("GET", "/api/v1/replenishment-rules", "",
                     Token("globex", api::Role::kAdmin));
  EXPECT_EQ(other.body.at("items").as_array().size(), 0u);
}

TEST_F(BusinessApiTest, PurchaseOrdersAreApprovedReceivedAndIsolated) {
  CreateProduct("p-1", 0);
  ASSERT_EQ(Call("POST", "/api/v1/suppliers",
                 R"({"id":"sup-1","name":"S","prices":{"p-1":1.25}})")
                .status,
            201);
  const std::string pos = "/api/v1/purchase-orders";
  EXPECT_EQ(Call("POST", pos, R"({"supplierId":"sup-1","lines":[]})").status,
            422);
  Reply zero = Call("POST", pos,
                    R"({"supplierId":"sup-1",)"
                    R"("lines":[{"productId":"p-1","quantity":0}]})");
  EXPECT_EQ(zero.status, 422);
  EXPECT_NE(zero.body.at("detail").as_string().find("lines[0]"),
            std::string::npos)
      << zero.body;
  EXPECT_EQ(Call("POST", pos, R"({"lines":[{"productId":"p-1","quantity":2}]})")
                .status,
            422);
  EXPECT_EQ(Call("POST", pos,
                 R"({"supplierId":"sup-1",)"
                 R"("lines":[{"productId":"ghost","quantity":2}]})")
                .status,
            422);

  Reply created = Call("POST", pos,
                       R"({"supplierId":"sup-1",)"
                       R"("lines":[{"productId":"p-1","quantity":10}]})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id(created.body.at("id").as_string());
  EXPECT_EQ(created.headers.Get("Location").value_or(""), pos + "/" + id);
  EXPECT_EQ(created.body.at("status"), "pending");
  EXPECT_EQ(created.body.at("poNumber").as_string().subview().substr(0, 3),
            "PO-");
  EXPECT_EQ(created.body.at("totalAmount").to_number<double>(), 12.5);
  const boost::json::object& line =
      created.body.at("lines").as_array()[0].as_object();
  EXPECT_EQ(line.at("receivedQuantity"), 0);
  EXPECT_EQ(line.at("unitCost").to_number<double>(), 1.25);

  // The dashboard's panel: pending purchase orders in the list.
  EXPECT_EQ(Call("GET", pos + "?status=lost").status, 400);
  bool listed = false;
  for (int i = 0; i < 2000 && !listed; ++i) {
    Reply list = Call("GET", pos + "?status=pending");
    listed = list.body.at("items").as_array().size() == 1;
    if (!listed) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(listed);

  // Another tenant's id is unknown.
  const std::string other = Token("globex", api::Role::kAdmin);
  EXPECT_EQ(Call("GET", pos + "/" + id, "", other).status, 404);
  EXPECT_EQ(Call("POST", pos + "/" + id + "/approve", "", other).status, 404);
  EXPECT_EQ(Call("GET", pos, "", other).body.at("items").as_array().size(), 0u);
  EXPECT_EQ(Call("GET", pos + "/nope").status, 404);

  // Approval is for managers and admins.
  const std::string clerk = Token("acme", api::Role::kClerk);
  EXPECT_EQ(Call("POST", pos + "/" + id + "/approve", "", clerk).status, 403);
  EXPECT_EQ(Call("POST", pos + "/" + id + "/receive",
                 R"({"lines":[{"productId":"p-1","quantity":1}]})", clerk)
                .status,
            409);  // not approved yet
  Reply approved = Call("POST", pos + "/" + id + "/approve", "",
                        Token("acme", api::Role::kManager));
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(approved.body.at("status"), "approved");
  EXPECT_EQ(Call("POST", pos + "/" + id + "/approve").status, 409);

  Reply over = Call("POST", pos + "/" + id + "/receive",
                    R"({"lines":[{"productId":"p-1","quantity":11}]})", clerk);
  EXPECT_EQ(over.status, 422);
  EXPECT_NE(over.body.at("detail").as_string().find("over-receipt"),
            std::string::npos)
      << over.body;
  EXPECT_EQ(Call("POST", pos + "/" + id + "/receive", R"({"lines":{}})", clerk)
                .status,
            422);
  Reply part = Call("POST", pos + "/" + id + "/receive",
                    R"({"lines":[{"productId":"p-1","quantity":4}]})", clerk);
  ASSERT_EQ(part.status, 200) << part.body;
  EXPECT_EQ(part.body.at("status"), "partially_received");
  EXPECT_EQ(Call("POST", pos + "/" + id + "/cancel").status, 409);
  // Inventory takes the goods in from the purchasing event.
  int64_t on_hand = 0;
  for (int i = 0; i < 2000 && on_hand != 4; ++i) {
    on_hand = Int(Call("GET", "/api/v1/products/p-1/inventory").body, "onHand");
    if (on_hand != 4)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(on_hand, 4);
  Reply got = Call("GET", pos + "/" + id);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.body.at("lines").as_array()[0].at("receivedQuantity"), 4);
}

TEST_F(BusinessApiTest, TransfersMoveStockBetweenLocations) {
  CreateProduct("p-1", 10);
  ASSERT_EQ(Call("POST", "/api/v1/locations",
                 R"({"id":"wh-2","name":"Warehouse 2","priority":5})")
                .status,
            201);
  Reply locations = Call("GET", "/api/v1/locations");
  ASSERT_EQ(locations.body.at("items").as_array().size(), 2u);
  Reply started = Call("POST", "/api/v1/inventory/transfers",
                       R"({"productId":"p-1","fromLocationId":"main",)"
                       R"("toLocationId":"wh-2","quantity":3})");
  ASSERT_EQ(started.status, 201) << started.body;
  const std::string transfer(started.body.at("transferId").as_string());
  EXPECT_EQ(Int(started.body, "inTransit"), 3);
  Reply done =
      Call("POST", "/api/v1/inventory/transfers/" + transfer + "/complete",
           R"({"productId":"p-1"})");
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(Int(done.body, "onHand"), 10);
  EXPECT_EQ(Int(done.body, "inTransit"), 0);
  Reply adjusted = Call("POST", "/api/v1/inventory/adjustments",
                        R"({"productId":"p-1","locationId":"wh-2",)"
                        R"("delta":-1,"reason":"damage"})");
  ASSERT_EQ(adjusted.status, 201) << adjusted.body;
  EXPECT_EQ(Int(adjusted.body, "onHand"), 9);
}

TEST_F(BusinessApiTest, DeadLettersAreListedRedrivenAndDiscardedPerTenant) {
  // An order.created without items cannot be reserved: the inventory
  // subscription parks it at once (a permanent failure).
  core::UuidV7Generator ids(clock_);
  core::EventPtr bad = core::EventBuilder("order.created")
                           .Aggregate("order", "ord-broken")
                           .Tenant("acme")
                           .Source("test")
                           .Payload({{"orderId", "ord-broken"}})
                           .Build(ids, clock_);
  ASSERT_TRUE(app_->store()
                  .Append("acme", "order-ord-broken",
                          store::ExpectedVersion::Any(), {*bad})
                  .ok());
  Reply dlq;
  for (int i = 0; i < 2000; ++i) {
    dlq = Call("GET", "/api/v1/dlq");
    if (!dlq.body.at("items").as_array().empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(dlq.body.at("items").as_array().size(), 1u) << dlq.body;
  const boost::json::value& letter = dlq.body.at("items").at(0);
  EXPECT_EQ(letter.at("subscription"), "inventory.reservations");
  EXPECT_EQ(letter.at("eventType"), "order.created");
  const std::string id(letter.at("id").as_string());

  Reply subs = Call("GET", "/api/v1/subscriptions");
  ASSERT_EQ(subs.status, 200);
  EXPECT_GE(subs.body.at("items").as_array().size(), 3u);
  EXPECT_EQ(subs.body.at("items").at(0).at("name"), "inventory.reservations");
  EXPECT_EQ(subs.body.at("items").at(0).at("patterns").at(0), "order.created");

  // Another tenant neither sees nor touches it; a clerk may not redrive.
  const std::string other = Token("globex", api::Role::kAdmin);
  EXPECT_TRUE(Call("GET", "/api/v1/dlq", "", other)
                  .body.at("items")
                  .as_array()
                  .empty());
  EXPECT_EQ(Call("POST", "/api/v1/dlq/" + id + "/redrive", "", other).status,
            404);
  EXPECT_EQ(Call("POST", "/api/v1/dlq/" + id + "/redrive", "",
                 Token("acme", api::Role::kClerk))
                .status,
            403);

  // Redriven, it fails again and is parked again, with one more attempt.
  ASSERT_EQ(Call("POST", "/api/v1/dlq/" + id + "/redrive").status, 200);
  int64_t attempts = 0;
  for (int i = 0; i < 2000 && attempts < 2; ++i) {
    Reply again = Call("GET", "/api/v1/dlq");
    auto& items = again.body.at("items").as_array();
    if (!items.empty() && items[0].at("state") == "parked") {
      attempts = items[0].at("attempts").as_int64();
    }
    if (attempts < 2)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(attempts, 2);
  EXPECT_EQ(Call("POST", "/api/v1/dlq/" + id + "/discard").status, 204);
  EXPECT_TRUE(Call("GET", "/api/v1/dlq").body.at("items").as_array().empty());
}

// DESIGN.md §4 flow 3: a POS sale, a WMS receipt and a stock count arrive
// as integration events (seed names, both formats) and move stock once; a
// gateway's payment callback pays the order.
TEST_F(BusinessApiTest, IntegrationEventsMoveStockOnceByEventId) {
  CreateProduct("p-int", 50);
  const std::string sale =
      R"({"eventId":"pos-991","eventType":"SALE_COMPLETED",)"
      R"("aggregateType":"SALES_ORDER","version":"1.0",)"
      R"("payload":{"saleId":"s-1","itemId":"p-int","locationId":"main",)"
      R"("quantity":5.0,"amount":12.5},"metadata":{"source":"pos"}})";
  Reply first = Call("POST", "/api/v1/integrations/events", sale);
  ASSERT_EQ(first.status, 202) << first.body;
  EXPECT_EQ(first.body.at("canonicalType"), "sales.sale.completed");
  EXPECT_EQ(first.body.at("duplicate"), false);
  Reply again = Call("POST", "/api/v1/integrations/events", sale);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.body.at("duplicate"), true);
  EXPECT_EQ(again.body.at("eventId"), first.body.at("eventId"));
  EXPECT_EQ(again.body.at("position"), first.body.at("position"));

  Reply receipt = Call("POST", "/api/v1/integrations/events",
                       R"({"specversion":"1.0","id":"wms-7","source":"wms",)"
                       R"("type":"RECEIPT_COMPLETED","data":{"itemId":"p-int",)"
                       R"("quantity":20,"lotNumber":"LOT-1"}})");
  ASSERT_EQ(receipt.status, 202) << receipt.body;
  EXPECT_EQ(receipt.body.at("eventType"), "integration.event.received");
  Reply damage =
      Call("POST", "/api/v1/integrations/events",
           R"({"eventId":"erp-1","eventType":"StockAdjusted","payload":)"
           R"({"productId":"p-int","delta":-3,"reason":"damage"}})");
  ASSERT_EQ(damage.status, 202) << damage.body;

  const int64_t expected = 50 - 5 + 20 - 3;
  int64_t on_hand = -1;
  for (int i = 0; i < 2000 && on_hand != expected; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    on_hand =
        Int(Call("GET", "/api/v1/products/p-int/inventory").body, "onHand");
  }
  EXPECT_EQ(on_hand, expected);
  // A counted level (the seeds' INVENTORY_UPDATED) sets onHand.
  ASSERT_EQ(Call("POST", "/api/v1/integrations/events",
                 R"({"eventId":"wms-count-1","eventType":"INVENTORY_UPDATED",)"
                 R"("payload":{"itemId":"p-int","onHand":40,"available":40}})")
                .status,
            202);
  for (int i = 0; i < 2000 && on_hand != 40; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    on_hand =
        Int(Call("GET", "/api/v1/products/p-int/inventory").body, "onHand");
  }
  EXPECT_EQ(on_hand, 40);
  // The sale was recorded once, and took stock once.
  Reply sales = Call("GET", "/api/v1/events?type=sales.sale.completed");
  EXPECT_EQ(sales.body.at("items").as_array().size(), 1u) << sales.body;
  Reply adjusted = Call("GET", "/api/v1/events?type=inventory.stock.adjusted");
  int sale_adjustments = 0;
  for (const auto& e : adjusted.body.at("items").as_array()) {
    if (e.at("payload").at("reason") == "sale") ++sale_adjustments;
  }
  EXPECT_EQ(sale_adjustments, 1);

  // Refused at once, naming what is wrong.
  for (const char* bad :
       {R"({"eventId":"x-1","eventType":"OrderCreated","payload":{}})",
        R"({"eventId":"x-2","eventType":"NO_SUCH_THING","payload":{}})",
        R"({"eventId":"x-3","eventType":"SALE_COMPLETED","payload":)"
        R"({"saleId":"s-2","itemId":"nope","quantity":1}})",
        R"({"eventId":"x-4","eventType":"SALE_COMPLETED","tenantId":)"
        R"("globex","payload":{"saleId":"s-3","itemId":"p-int",)"
        R"("quantity":1}})",
        R"({"eventId":"x-5","eventType":"SALE_COMPLETED","payload":)"
        R"({"saleId":"s-4","itemId":"p-int","quantity":1.5}})",
        R"({"specversion":"1.0","id":"x-6","source":"wms","type":)"
        R"("RECEIPT_COMPLETED"})"}) {
    Reply r = Call("POST", "/api/v1/integrations/events", bad);
    EXPECT_EQ(r.status, 422) << bad << " -> " << r.body;
    EXPECT_TRUE(r.body.at("detail").is_string()) << r.body;
  }
  EXPECT_EQ(Call("POST", "/api/v1/integrations/events", sale,
                 Token("acme", api::Role::kViewer))
                .status,
            403);

  // A gateway's payment callback pays the order (clerks may not send one).
  Reply placed = Call("POST", "/api/v1/orders",
                      R"({"items":[{"productId":"p-int","quantity":2}]})");
  ASSERT_EQ(placed.status, 201) << placed.body;
  const std::string order(placed.body.at("id").as_string());
  ASSERT_EQ(SettledStatus(order), "confirmed");
  for (int i = 0; i < 2000; ++i) {
    if (!Call("GET", "/api/v1/bills?orderId=" + order)
             .body.at("items")
             .as_array()
             .empty()) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const std::string paid = R"({"eventId":"gw-1","eventType":"payment.success",)"
                           R"("payload":{"orderId":")" +
                           order + R"(","amount":5}})";
  EXPECT_EQ(Call("POST", "/api/v1/integrations/events", paid,
                 Token("acme", api::Role::kClerk))
                .status,
            403);
  ASSERT_EQ(Call("POST", "/api/v1/integrations/events", paid).status, 202);
  EXPECT_EQ(SettledStatus(order, "", "confirmed"), "paid");
}

// Flows 5 and 6: a shipped, paid order shows in the analytics figures, which
// a restart rebuilds from the log unchanged; a forecast is generated from
// the demand history (today's shipment is not history yet) and read back.
TEST_F(BusinessApiTest, AnalyticsAndForecastsFollowTheLog) {
  CreateProduct("p-1", 10);
  const std::string id = PlacePaidOrder("p-1", 3, "7.5");
  ASSERT_FALSE(id.empty());
  ASSERT_EQ(Call("POST", "/api/v1/orders/" + id + "/ship").status, 200);

  const std::string viewer = Token("acme", api::Role::kViewer);
  Reply top;
  for (int i = 0; i < 2000; ++i) {
    top = Call("GET", "/api/v1/analytics/top-products", "", viewer);
    if (!top.body.at("items").as_array().empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(top.status, 200) << top.body;
  ASSERT_EQ(top.body.at("items").as_array().size(), 1u) << top.body;
  EXPECT_EQ(top.body.at("items").at(0).at("productId"), "p-1");
  EXPECT_EQ(top.body.at("items").at(0).at("unitsSold"), 3);
  Reply revenue = Call("GET", "/api/v1/analytics/revenue", "", viewer);
  ASSERT_EQ(revenue.body.at("items").as_array().size(), 1u) << revenue.body;
  EXPECT_EQ(revenue.body.at("items").at(0).at("amountMinor"), 750);
  EXPECT_EQ(revenue.body.at("items").at(0).at("currency"), "USD");
  Reply events = Call("GET", "/api/v1/analytics/events", "", viewer);
  EXPECT_FALSE(events.body.at("items").as_array().empty());
  EXPECT_TRUE(Call("GET", "/api/v1/analytics/revenue", "",
                   Token("globex", api::Role::kViewer))
                  .body.at("items")
                  .as_array()
                  .empty());

  // A till sale arrives through ingest; inventory books it as a sale
  // adjustment caused by it. Counted once: 3 shipped + 2 sold.
  ASSERT_EQ(Call("POST", "/api/v1/integrations/events",
                 R"({"eventId":"pos-1","eventType":"SALE_COMPLETED",)"
                 R"("payload":{"saleId":"s-1","itemId":"p-1",)"
                 R"("locationId":"main","quantity":2}})")
                .status,
            202);
  int64_t on_hand = -1;
  for (int i = 0; i < 2000 && on_hand != 5; ++i) {
    if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    on_hand = Int(Call("GET", "/api/v1/products/p-1/inventory").body, "onHand");
  }
  ASSERT_EQ(on_hand, 5);
  for (int i = 0; i < 2000; ++i) {
    top = Call("GET", "/api/v1/analytics/top-products", "", viewer);
    if (top.body.at("items").at(0).at("unitsSold") != 3) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  Reply adjusted;  // the adjustment is in the log before this read
  for (int i = 0; i < 2000; ++i) {
    adjusted = Call("GET", "/api/v1/analytics/events", "", viewer);
    if (boost::json::serialize(adjusted.body)
            .find("inventory.stock.adjusted") != std::string::npos) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  top = Call("GET", "/api/v1/analytics/top-products", "", viewer);
  EXPECT_EQ(top.body.at("items").at(0).at("unitsSold"), 5) << top.body;

  Reply forecast = Call("POST", "/api/v1/forecasts",
                        R"({"productId":"p-1","horizonDays":7})");
  ASSERT_EQ(forecast.status, 201) << forecast.body;
  EXPECT_EQ(forecast.body.at("modelType"), "moving_average");
  EXPECT_EQ(forecast.body.at("historyDays"), 0);
  EXPECT_TRUE(forecast.body.at("mape").is_null());
  EXPECT_EQ(forecast.body.at("points").as_array().size(), 7u);
  EXPECT_EQ(Call("POST", "/api/v1/forecasts",
                 R"({"productId":"p-1","horizonDays":0})")
                .status,
            422);
  EXPECT_EQ(Call("POST", "/api/v1/forecasts",
                 R"({"productId":"p-9","horizonDays":7})")
                .status,
            404);

  // A restart rebuilds the figures from the log: the same answers.
  std::string before;  // once the figures include forecast.generated
  for (int i = 0; i < 2000; ++i) {
    before =
        boost::json::serialize(Call("GET", "/api/v1/analytics/events").body);
    if (before.find("forecast.generated") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_NE(before.find("forecast.generated"), std::string::npos);
  before +=
      boost::json::serialize(revenue.body) + boost::json::serialize(top.body);
  app_.reset();
  StartServer();
  Reply latest = Call("GET", "/api/v1/forecasts/p-1", "", viewer);
  ASSERT_EQ(latest.status, 200) << latest.body;
  EXPECT_EQ(latest.body.at("forecastId"), forecast.body.at("forecastId"));
  std::string after;
  for (int i = 0; i < 2000 && after != before; ++i) {
    if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    after =
        boost::json::serialize(Call("GET", "/api/v1/analytics/events").body) +
        boost::json::serialize(
            Call("GET", "/api/v1/analytics/revenue", "", viewer).body) +
        boost::json::serialize(
            Call("GET", "/api/v1/analytics/top-products", "", viewer).body);
  }
  EXPECT_EQ(after, before);
}

// Issue 10: the tenant's calendar settings, and metadata.businessContext on
// every event the services append (one of each type the flows produce).
TEST_F(BusinessApiTest, TenantSettingsShapeEveryEventsBusinessContext) {
  const std::string clerk = Token("acme", api::Role::kClerk);
  EXPECT_EQ(Call("GET", "/api/v1/tenant/settings", "", clerk).status, 403);
  Reply none = Call("GET", "/api/v1/tenant/settings");
  ASSERT_EQ(none.status, 200) << none.body;
  EXPECT_EQ(none.body.at("timezone"), "UTC");
  Reply bad = Call("PUT", "/api/v1/tenant/settings",
                   R"({"timezone":"Asia/Jakarta","businessHours":)"
                   R"({"monday":{"open":"17:00","close":"09:00"}}})");
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(std::string(bad.body.at("detail").as_string())
                .find("businessHours.monday.close"),
            std::string::npos)
      << bad.body;
  EXPECT_EQ(
      Call("PUT", "/api/v1/tenant/settings", R"({"timezone":"Mars/Olympus"})")
          .status,
      422);
  EXPECT_EQ(
      Call("PUT", "/api/v1/tenant/settings", R"({"seasonalFactors":{"13":1}})")
          .status,
      422);
  Reply put =
      Call("PUT", "/api/v1/tenant/settings",
           R"({"timezone":"Asia/Jakarta","region":"ID","currency":"IDR",)"
           R"("holidays":["2026-08-17"],"seasonalFactors":{"3":1.2}})");
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.body.at("businessHours").at("friday").at("close"), "17:00");
  EXPECT_EQ(Call("GET", "/api/v1/tenant/settings").body, put.body);

  // Every service at work: catalog, inventory, reservations, orders, billing.
  CreateProduct("p-1", 10);
  ASSERT_EQ(Call("PATCH", "/api/v1/products/p-1", R"({"name":"Pen"})").status,
            200);
  ASSERT_EQ(
      Call("POST", "/api/v1/locations", R"({"id":"wh-2","name":"W2"})").status,
      201);
  ASSERT_EQ(
      Call("POST", "/api/v1/suppliers", R"({"id":"s-1","name":"S"})").status,
      201);
  ASSERT_EQ(Call("PATCH", "/api/v1/suppliers/s-1", R"({"name":"S2"})").status,
            200);
  ASSERT_EQ(Call("POST", "/api/v1/inventory/adjustments",
                 R"({"productId":"p-1","delta":-1,"reason":"damage"})")
                .status,
            201);
  Reply moved = Call("POST", "/api/v1/inventory/transfers",
                     R"({"productId":"p-1","fromLocationId":"main",)"
                     R"("toLocationId":"wh-2","quantity":1})");
  ASSERT_EQ(moved.status, 201) << moved.body;
  ASSERT_EQ(Call("POST",
                 "/api/v1/inventory/transfers/" +
                     std::string(moved.body.at("transferId").as_string()) +
                     "/complete",
                 R"({"productId":"p-1"})")
                .status,
            200);
  Reply order = Call("POST", "/api/v1/orders",
                     R"({"items":[{"productId":"p-1","quantity":2}]})");
  const std::string id(order.body.at("id").as_string());
  ASSERT_EQ(SettledStatus(id), "confirmed");
  Reply too_big = Call("POST", "/api/v1/orders",
                       R"({"items":[{"productId":"p-1","quantity":99}]})");
  EXPECT_EQ(SettledStatus(std::string(too_big.body.at("id").as_string())),
            "rejected");
  for (int i = 0; i < 2000; ++i) {
    if (!Call("GET", "/api/v1/bills?orderId=" + id)
             .body.at("items")
             .as_array()
             .empty()) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(Call("POST", "/api/v1/payments",
                 R"({"orderId":")" + id + R"(","amount":5,"status":"failed"})")
                .status,
            201);
  ASSERT_EQ(
      Call("POST", "/api/v1/payments",
           R"({"orderId":")" + id + R"(","amount":5,"status":"succeeded"})")
          .status,
      201);
  ASSERT_EQ(SettledStatus(id, "", "confirmed"), "paid");
  ASSERT_EQ(Call("POST", "/api/v1/orders/" + id + "/ship").status, 200);
  ASSERT_EQ(Call("POST", "/api/v1/orders/" + id + "/deliver").status, 200);
  Reply second = Call("POST", "/api/v1/orders",
                      R"({"items":[{"productId":"p-1","quantity":1}]})");
  const std::string second_id(second.body.at("id").as_string());
  ASSERT_EQ(SettledStatus(second_id), "confirmed");
  ASSERT_EQ(Call("POST", "/api/v1/orders/" + second_id + "/cancel").status,
            200);
  EXPECT_EQ(Call("DELETE", "/api/v1/products/p-1").status, 204);

  // Let the saga's last reactions (the release of the cancelled order) land.
  std::set<std::string> types;
  size_t enriched = 0;
  size_t total = 0;
  const auto deadline = std::chrono::steady_clock::now() + seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    types.clear();
    enriched = total = 0;
    Reply page = Call("GET", "/api/v1/events?limit=1000");
    ASSERT_EQ(page.status, 200);
    for (const boost::json::value& e : page.body.at("items").as_array()) {
      ++total;
      const boost::json::object& meta = e.at("metadata").as_object();
      const boost::json::value* ctx = meta.if_contains("businessContext");
      if (ctx == nullptr) {
        ADD_FAILURE() << "no businessContext: " << e;
        continue;
      }
      ++enriched;
      types.insert(std::string(e.at("eventType").as_string()));
      if (e.at("eventType") == "tenant.settings.updated") continue;  // before
      EXPECT_EQ(ctx->at("timezone"), "Asia/Jakarta") << e;
      EXPECT_EQ(ctx->at("region"), "ID") << e;
      EXPECT_TRUE(ctx->at("businessHours").is_bool()) << e;
      EXPECT_TRUE(ctx->at("season").is_array()) << e;
      EXPECT_GT(ctx->at("seasonalFactor").to_number<double>(), 0) << e;
      EXPECT_TRUE(
          std::string(ctx->at("localTime").as_string()).ends_with("+07:00"))
          << e;
    }
    if (types.contains("inventory.stock.released")) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(enriched, total);
  for (const char* type : {"tenant.settings.updated",
                           "catalog.product.created",
                           "catalog.product.updated",
                           "catalog.product.deleted",
                           "catalog.location.created",
                           "catalog.supplier.created",
                           "catalog.supplier.updated",
                           "inventory.stock.received",
                           "inventory.stock.adjusted",
                           "inventory.transfer.initiated",
                           "inventory.transfer.completed",
                           "inventory.stock.reserved",
                           "inventory.stock.reservation_failed",
                           "inventory.stock.released",
                           "order.created",
                           "order.confirmed",
                           "order.rejected",
                           "order.paid",
                           "order.shipped",
                           "order.delivered",
                           "order.cancelled",
                           "bill.created",
                           "bill.paid",
                           "payment.failed",
                           "payment.succeeded"}) {
    EXPECT_TRUE(types.contains(type)) << type;
  }
}

// Issues 10 and 5: a supplier's region (a known region pack, else 422) and
// a replenishment rule's dynamic reorder point, as a client sends them.
TEST_F(BusinessApiTest, SupplierRegionsAndDynamicRulesAreValidated) {
  CreateProduct("p-1", 0);
  Reply unknown = Call("POST", "/api/v1/suppliers",
                       R"({"id":"sup-x","name":"X","region":"XX"})");
  EXPECT_EQ(unknown.status, 422) << unknown.body;
  EXPECT_NE(unknown.body.at("detail").as_string().find("region"),
            std::string::npos)
      << unknown.body;
  Reply created =
      Call("POST", "/api/v1/suppliers",
           R"({"id":"sup-1","name":"S","region":"ID","prices":{"p-1":1}})");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.body.at("region"), "ID");
  Reply cleared =
      Call("PATCH", "/api/v1/suppliers/sup-1", R"({"region":null})");
  ASSERT_EQ(cleared.status, 200) << cleared.body;
  EXPECT_FALSE(cleared.body.as_object().contains("region"));
  EXPECT_EQ(
      Call("PATCH", "/api/v1/suppliers/sup-1", R"({"region":"id"})").status,
      422);

  const std::string rule = "/api/v1/replenishment-rules/p-1";
  const std::string base =
      R"({"reorderPoint":2,"reorderQuantity":5,"supplierId":"sup-1",)";
  for (const auto& [extra, field] :
       std::vector<std::pair<std::string, std::string>>{
           {R"("reorderPointMode":"sometimes"})", "reorderPointMode"},
           {R"("serviceLevel":0.9})", "serviceLevel"},
           {R"("reorderPointMode":"dynamic","serviceLevel":2})",
            "serviceLevel"},
       }) {
    Reply r = Call("PUT", rule, base + extra);
    EXPECT_EQ(r.status, 422) << extra;
    EXPECT_NE(r.body.at("detail").as_string().find(field), std::string::npos)
        << extra << " -> " << r.body;
  }
  Reply put =
      Call("PUT", rule,
           base + R"("reorderPointMode":"dynamic","serviceLevel":0.99})");
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.body.at("reorderPointMode"), "dynamic");
  EXPECT_EQ(put.body.at("serviceLevel").to_number<double>(), 0.99);
  Reply fixed = Call("PUT", rule, base + R"("reorderPointMode":"static"})");
  ASSERT_EQ(fixed.status, 200) << fixed.body;
  EXPECT_EQ(fixed.body.at("reorderPointMode"), "static");
}

TEST_F(BusinessApiTest, DocumentsAttachToPurchaseOrders) {
  CreateProduct("p-1", 0);
  ASSERT_EQ(Call("POST", "/api/v1/suppliers",
                 R"({"id":"sup-1","name":"S","prices":{"p-1":1.25}})")
                .status,
            201);
  Reply po = Call("POST", "/api/v1/purchase-orders",
                  R"({"supplierId":"sup-1",)"
                  R"("lines":[{"productId":"p-1","quantity":10}]})");
  ASSERT_EQ(po.status, 201) << po.body;
  const std::string docs = "/api/v1/purchase-orders/" +
                           std::string(po.body.at("id").as_string()) +
                           "/documents";
  Reply doc =
      Call("POST", docs,
           R"({"fileName":"invoice.pdf","contentType":"application/pdf",)"
           R"("sizeBytes":1024,"url":"https://files.example/i.pdf"})");
  ASSERT_EQ(doc.status, 201) << doc.body;
  EXPECT_EQ(doc.body.at("fileName"), "invoice.pdf");
  Reply bad = Call("POST", docs,
                   R"({"fileName":"x","contentType":"pdf","sizeBytes":1})");
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.at("detail").as_string().find("contentType"),
            std::string::npos);
  EXPECT_EQ(
      Call("POST", docs, R"({"fileName":"x","contentType":"a/b"})").status,
      422);
  EXPECT_EQ(Call("POST", "/api/v1/purchase-orders/po-ghost/documents",
                 R"({"fileName":"x","contentType":"a/b","sizeBytes":1})")
                .status,
            404);
  // A viewer may not attach.
  EXPECT_EQ(Call("POST", docs,
                 R"({"fileName":"x","contentType":"a/b","sizeBytes":1})",
                 Token("acme", api::Role::kViewer))
                .status,
            403);
  Reply read = Call("GET", "/api/v1/purchase-orders/" +
                               std::string(po.body.at("id").as_string()));
  ASSERT_EQ(read.status, 200);
  ASSERT_EQ(read.body.at("documents").as_array().size(), 1u);
  EXPECT_EQ(read.body.at("documents").as_array()[0].at("documentId"),
            doc.body.at("documentId"));
}

}  // namespace
}  // namespace stockpile::app
