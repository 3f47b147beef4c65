#include "domain/event_catalog.h"

#include <array>

namespace stockpile::domain {

namespace {

using F = PayloadField;
constexpr FieldType S = FieldType::kString;
constexpr FieldType I = FieldType::kInteger;
constexpr FieldType N = FieldType::kNumber;
constexpr FieldType B = FieldType::kBoolean;
constexpr FieldType O = FieldType::kObject;
constexpr FieldType A = FieldType::kArray;

// Payload field lists. `lines` arrays hold {productId, locationId, quantity}.
constexpr F kProductCreated[] = {
    {"productId", S, true, "product id"},
    {"sku", S, true, "stock keeping unit, unique per tenant"},
    {"name", S, true, "display name"},
    {"price", N, true, "unit price, at most 2 decimals"},
    {"currency", S, false, "ISO 4217 code"},
    {"unit", S, false, "unit of measure, e.g. pcs"},
    {"reorderPoint", I, false, "available at or below this is low stock"},
    {"allowBackorder", B, false, "orders may exceed available stock"}};
constexpr F kProductUpdated[] = {
    {"productId", S, true, "product id"},
    {"changes", O, true, "the fields that changed, with their new values"}};
constexpr F kProductDeleted[] = {{"productId", S, true, "product id"}};
constexpr F kLocationCreated[] = {
    {"locationId", S, true, "location id"},
    {"name", S, true, "display name"},
    {"priority", I, false, "allocation order, lower first"}};
constexpr F kSupplier[] = {
    {"supplierId", S, true, "supplier id"},
    {"name", S, true, "supplier name"},
    {"email", S, false, "where purchase orders are sent"},
    {"leadTimeDays", I, false, "business days from order to receipt"},
    {"region", S, false, "region pack counting them; absent = the tenant's"},
    {"prices", O, false, "unit cost per productId"}};
constexpr F kSkuClaim[] = {
    {"sku", S, true, "the stock keeping unit"},
    {"productId", S, true, "the product that holds (or held) it"}};
constexpr F kPositionHold[] = {
    {"orderId", S, true, "the order"},
    {"productId", S, true, "product id"},
    {"allocations", A, true,
     "[{locationId, quantity, backordered?}] of this product (backordered: "
     "units waiting for stock beyond quantity); on committed each has lots: "
     "[{lotNumber, expiryDate?, quantity}] taken"}};
constexpr F kBackorderFilled[] = {
    {"orderId", S, true, "the order whose backorder is filled"},
    {"productId", S, true, "product id"},
    {"locationId", S, true, "where the stock arrived"},
    {"quantity", I, true, "units moved from backordered to reserved"},
    {"backordered", I, true, "units of the order still waiting there"}};
constexpr F kUserRegistered[] = {
    {"userId", S, true, "user id"},
    {"email", S, true, "unique per tenant"},
    {"role", S, true, "admin|manager|clerk|viewer"},
    {"name", S, false, "display name"}};
constexpr F kUserUpdated[] = {
    {"userId", S, true, "user id"},
    {"changes", O, true,
     "changed name/role; passwordChanged: true (never a password or hash)"}};
constexpr F kUserPasswordSet[] = {
    {"userId", S, true, "user id"},
    {"passwordHash", S, true,
     "Argon2id hash (libsodium crypto_pwhash_str); redacted by the HTTP "
     "event API"}};
constexpr F kEmailClaim[] = {
    {"email", S, true, "the normalised (lowercase) address"},
    {"userId", S, true, "the user that holds (or held) it"}};
constexpr F kStockReceived[] = {
    {"productId", S, true, "product id"},
    {"locationId", S, true, "location id"},
    {"quantity", I, true, "units received, > 0"},
    {"lotNumber", S, false, "lot / batch"},
    {"expiryDate", S, false, "YYYY-MM-DD"},
    {"purchaseOrderId", S, false, "the purchase order being received"},
    {"receiptNumber", I, false, "the purchase order's receipt"},
    {"onHand", I, true, "on hand after the receipt"},
    {"available", I, true, "available after the receipt"}};
constexpr F kStockAdjusted[] = {
    {"productId", S, true, "product id"},
    {"locationId", S, true, "location id"},
    {"delta", I, true, "signed change of onHand"},
    {"reason", S, true, "damage|cycle_count|correction|sale|return|..."},
    {"onHand", I, true, "on hand after the change"},
    {"available", I, true, "available after the change"},
    {"lots", A, false,
     "[{lotNumber, expiryDate?, quantity}] the lots that changed: taken "
     "first-expiry-first-out when delta < 0 (a sale takes unexpired lots "
     "first), the no-lot bucket (lotNumber \"\") when delta > 0"}};
constexpr F kReservation[] = {
    {"orderId", S, true, "the order"},
    {"lines", A, true,
     "[{productId, locationId, quantity, backordered?}] held or freed "
     "(backordered: units waiting for stock beyond quantity); on committed "
     "each line has lots: [{lotNumber, expiryDate?, quantity}] shipped, "
     "unexpired lots first-expiry-first-out"},
    {"backordered", I, false,
     "reserved: the order's units on backorder (products with "
     "allowBackorder), when any"}};
constexpr F kReservationFailed[] = {
    {"orderId", S, true, "the order"},
    {"reason", S, true, "why nothing was reserved"},
    {"shortages", A, true, "[{productId, requested, available}]"}};
constexpr F kStockLevel[] = {
    {"productId", S, true, "product id"},
    {"locationId", S, true, "location id"},
    {"available", I, true, "available now"},
    {"reorderPoint", I, true, "the threshold crossed"}};
constexpr F kTransferInitiated[] = {
    {"transferId", S, true, "transfer id"},
    {"productId", S, true, "product id"},
    {"fromLocationId", S, true, "source location"},
    {"toLocationId", S, true, "destination location"},
    {"quantity", I, true, "units in transit"},
    {"lots", A, false,
     "[{lotNumber, expiryDate?, quantity}] taken from the source, unexpired "
     "lots first-expiry-first-out"}};
constexpr F kTransferCompleted[] = {
    {"transferId", S, true, "transfer id"},
    {"productId", S, true, "product id"},
    {"toLocationId", S, true, "destination location"},
    {"quantity", I, true, "units arrived"},
    {"lots", A, false, "[{lotNumber, expiryDate?, quantity}] arrived"}};
constexpr F kSaleCompleted[] = {
    {"saleId", S, true, "the point-of-sale transaction"},
    {"locationId", S, true, "store / location"},
    {"lines", A, true, "[{productId, quantity, unitPrice?, amount?}]"},
    {"origin", O, false,
     "ingest: {format, originalType, occurredAt, source?, externalId?}"}};
constexpr F kIntegrationReceived[] = {
    {"canonicalType", S, true, "what the sender's event means"},
    {"origin", O, true,
     "{format, originalType, occurredAt, source?, externalId?}"},
    {"data", O, true, "the sender's payload, in canonical field names"}};
constexpr F kOrderCreated[] = {
    {"orderId", S, true, "order id"},
    {"orderNumber", S, true, "ORD-..."},
    {"customerId", S, true, "customer"},
    {"items", A, true, "[{productId, quantity, unitPrice}]"},
    {"totalAmount", N, true, "sum of the lines"},
    {"currency", S, true, "ISO 4217 code"}};
constexpr F kOrderStatus[] = {{"orderId", S, true, "order id"},
                              {"reason", S, false, "why, where it applies"}};
constexpr F kOrderConfirmed[] = {
    {"orderId", S, true, "order id"},
    {"totalAmount", N, true, "amount to bill"},
    {"currency", S, true, "ISO 4217 code"},
    {"customerId", S, true, "customer id"},
    {"backorders", A, false,
     "[{productId, locationId, quantity}] units inventory backordered "
     "(inventory.stock.reserved), when any: the order cannot ship until "
     "they are filled"}};
constexpr F kOrderBackorderFilled[] = {
    {"orderId", S, true, "order id"},
    {"productId", S, true, "product id"},
    {"locationId", S, true, "where the stock arrived"},
    {"quantity", I, true, "units filled now"},
    {"backordered", I, true, "units of the product still waiting there"}};
constexpr F kOrderUpdated[] = {{"orderId", S, true, "order id"},
                               {"status", S, true, "the new status"},
                               {"previousStatus", S, true, "the old status"}};
constexpr F kPayment[] = {{"paymentId", S, true, "payment id"},
                          {"orderId", S, true, "order paid for"},
                          {"amount", N, true, "amount"},
                          {"currency", S, true, "ISO 4217 code"},
                          {"reason", S, false, "failure reason"}};
constexpr F kBillCreated[] = {{"billId", S, true, "bill id"},
                              {"orderId", S, true, "order billed"},
                              {"amount", N, true, "amount due"},
                              {"currency", S, true, "ISO 4217 code"}};
constexpr F kBillPaid[] = {{"billId", S, true, "bill id"},
                           {"orderId", S, true, "order billed"},
                           {"paymentId", S, true, "the payment"}};
constexpr F kTenantSettings[] = {
    {"timezone", S, false, "IANA time zone, e.g. Asia/Jakarta"},
    {"region", S, false, "region pack, e.g. ID"},
    {"currency", S, false, "ISO 4217 code"},
    {"businessHours", O, false, "{weekday: {open, close} | null} local HH:MM"},
    {"holidays", A, false, "the tenant's own holidays, YYYY-MM-DD"},
    {"seasonalFactors", O, false, "{month 1..12: demand factor}"}};
constexpr F kRuleSet[] = {
    {"productId", S, true, "product id"},
    {"locationId", S, true, "location id"},
    {"reorderPoint", I, true, "order when the position is at or below"},
    {"reorderQuantity", I, false, "fixed units per order"},
    {"minQuantity", I, false, "min/max: order at least this"},
    {"maxQuantity", I, false, "min/max: order up to this"},
    {"safetyStock", I, true, "buffer within the reorder point"},
    {"leadTimeDays", I, true, "business days to delivery, 0 = the supplier's"},
    {"supplierId", S, true, "supplier to order from"},
    {"autoApproveLimit", N, false, "orders under it are approved at once"},
    {"reorderPointMode", S, false, "static|dynamic (absent = static)"},
    {"serviceLevel", N, false, "dynamic: chance of no stock-out"}};
constexpr F kReplenishment[] = {
    {"productId", S, true, "product id"},
    {"locationId", S, true, "location id"},
    {"quantity", I, true, "units to order"},
    {"supplierId", S, true, "supplier to order from"},
    {"unitCost", N, true, "the supplier's price per unit"},
    {"available", I, true, "available when triggered"},
    {"onOrder", I, true, "still to come on open purchase orders"},
    {"reorderPoint", I, true, "reorder point in force (the one compared)"},
    {"ruleReorderPoint", I, false, "the rule's own reorderPoint"},
    {"reorderPointMode", S, false, "static|dynamic"},
    {"reorderPointBasis", S, false, "rule|forecast|rule_no_history"},
    {"leadTimeDays", I, false, "business days to delivery"},
    {"leadTimeCalendarDays", I, false, "dynamic: calendar days they cover"},
    {"leadTimeRegion", S, false, "dynamic: their region; absent = calendar"},
    {"leadTimeDemand", N, false, "forecast: demand over the lead time"},
    {"safetyStock", N, false, "forecast: z * sigma * sqrt(lead time)"},
    {"serviceLevel", N, false, "forecast: the rule's service level"},
    {"forecastModel", S, false, "forecast: moving_average|holt_winters"},
    {"historyDays", I, false, "forecast: days of demand history"},
    {"reason", S, true, "low_stock|periodic_review"},
    {"purchaseOrderId", S, true, "the purchase order to raise"},
    {"autoApproveLimit", N, false, "the rule's auto-approve limit"}};
constexpr F kPoNumber[] = {
    {"purchaseOrderId", S, true, "purchase order id"},
    {"poNumber", S, true, "PO-<year>-<seq>"},
    {"sequence", I, true, "seq, from 1 per tenant and year"}};
constexpr F kPurchaseOrderCreated[] = {
    {"purchaseOrderId", S, true, "purchase order id"},
    {"poNumber", S, true, "PO-<year>-<seq>"},
    {"supplierId", S, true, "supplier"},
    {"locationId", S, true, "receiving location"},
    {"lines", A, true, "[{productId, quantity, unitCost}]"},
    {"totalAmount", N, true, "sum of the lines"},
    {"currency", S, true, "ISO 4217 code"},
    {"source", S, true, "manual|replenishment"},
    {"status", S, true, "pending|approved"},
    {"leadTimeDays", I, false, "business days to delivery"},
    {"leadTimeRegion", S, false, "region counting them; absent = calendar"},
    {"expectedDeliveryDate", S, false, "YYYY-MM-DD, local to that region"}};
constexpr F kPurchaseOrderApproved[] = {
    {"purchaseOrderId", S, true, "purchase order id"},
    {"approvedBy", S, true, "user id, or 'auto' under the limit"}};
constexpr F kPurchaseOrderReceived[] = {
    {"purchaseOrderId", S, true, "purchase order id"},
    {"locationId", S, true, "receiving location"},
    {"lines", A, true, "[{productId, quantity}] received now"},
    {"receiptNumber", I, true, "1 for the first receipt, then 2, ..."},
    {"status", S, true, "partially_received|received"}};
constexpr F kPurchaseOrderCancelled[] = {
    {"purchaseOrderId", S, true, "purchase order id"}};
constexpr F kForecast[] = {
    {"forecastId", S, true, "forecast id"},
    {"productId", S, true, "product id"},
    {"locationId", S, false, "location id; absent = all locations summed"},
    {"modelType", S, true, "moving_average|holt_winters"},
    {"horizonDays", I, true, "days forecast"},
    {"startDate", S, true, "first forecast day, YYYY-MM-DD"},
    {"endDate", S, true, "last forecast day, YYYY-MM-DD"},
    {"daily", A, true, "forecast units per day from startDate (numbers)"},
    {"mape", N, false,
     "holdout error, percent: 100 * sum|actual - forecast| / sum actual "
     "(absent without a holdout)"},
    {"holdoutDays", I, true, "days held out to measure mape (0 = none)"},
    {"historyDays", I, true, "days of demand history used"},
    {"sigma", N, true, "spread of one day's forecast error, units"},
    {"leadTimeDays", I, true, "lead time of the reorder point"},
    {"serviceLevel", N, true, "service level of the reorder point"},
    {"leadTimeDemand", N, true, "forecast units over the lead time"},
    {"safetyStock", N, true, "z * sigma * sqrt(leadTimeDays)"},
    {"suggestedReorderPoint", I, true,
     "ceil(leadTimeDemand + safetyStock): reorder at or below this"}};
constexpr F kNotificationSent[] = {
    {"notificationId", S, true, "notification id"},
    {"channel", S, true, "log|webhook|email"},
    {"recipient", S, true, "URL, address or log name"},
    {"sourceEventId", S, false, "the event that caused it"},
    {"status", S, true, "delivered"},
    {"attempts", I, false, "tries it took (webhook, email)"}};
constexpr F kAlertRaised[] = {
    {"alertId", S, true, "<alertType>.<subject>.<n>"},
    {"alertType", S, true, "low_stock|purchase_order_approval|payment_failed"},
    {"message", S, true, "what needs attention"},
    {"severity", S, true, "info|warning|critical"},
    {"productId", S, false, "product, for stock alerts"},
    {"locationId", S, false, "location, where it applies"},
    {"subjectId", S, false, "the purchase order or order"},
    {"sourceEventId", S, true, "the event that raised it"}};
constexpr F kAlertResolved[] = {
    {"alertId", S, true, "the alert"},
    {"resolvedBy", S, true, "'auto' or the user id"},
    {"reason", S, true, "the clearing event type, or 'by hand'"}};
constexpr F kWebhookRegistered[] = {
    {"webhookId", S, true, "webhook id"},
    {"url", S, true, "http:// URL the events are POSTed to"},
    {"events", A, true, "event type patterns, e.g. order.*"},
    {"secretSealed", S, true, "the HMAC secret, AES-256-GCM sealed"}};
constexpr F kWebhookDeleted[] = {{"webhookId", S, true, "webhook id"}};
constexpr F kDeliveryRequested[] = {
    {"notificationId", S, true, "notification id"},
    {"channel", S, true, "webhook"},
    {"webhookId", S, true, "the webhook"},
    {"recipient", S, true, "its URL when requested"},
    {"sourceEventId", S, true, "the event to deliver"},
    {"sourceEventType", S, true, "its type"},
    {"event", O, true, "the event's envelope"}};
constexpr F kDocumentUploaded[] = {
    {"documentId", S, true, "document id"},
    {"purchaseOrderId", S, false, "attached to"},
    {"fileName", S, true, "original name"},
    {"contentType", S, true, "MIME type"},
    {"sizeBytes", I, true, "size"},
    {"url", S, false, "where the document is kept"}};

constexpr std::string_view kNoAliases[] = {""};
constexpr std::string_view kProductUpdatedAliases[] = {"ProductUpdated"};
constexpr std::string_view kSupplierUpdatedAliases[] = {"SupplierUpdated"};
constexpr std::string_view kUserRegisteredAliases[] = {"UserRegistered",
                                                       "user.created"};
constexpr std::string_view kReceivedAliases[] = {"RECEIPT_COMPLETED"};
constexpr std::string_view kAdjustedAliases[] = {
    "StockAdjusted", "INVENTORY_UPDATED", "inventory.stock.level.changed"};
constexpr std::string_view kLowAliases[] = {"StockLow", "INVENTORY_LOW_STOCK"};
constexpr std::string_view kTransferAliases[] = {"TRANSFER_INITIATED"};
constexpr std::string_view kSaleAliases[] = {"SALE_COMPLETED"};
constexpr std::string_view kOrderCreatedAliases[] = {"OrderCreated"};
constexpr std::string_view kOrderUpdatedAliases[] = {"OrderUpdated",
                                                     "OrderStatusChanged"};
constexpr std::string_view kPaymentOkAliases[] = {"payment.success",
                                                  "PaymentProcessed"};
constexpr std::string_view kReplenishmentAliases[] = {
    "REPLENISHMENT_TRIGGERED"};
constexpr std::string_view kPoCreatedAliases[] = {"PURCHASE_ORDER_CREATED"};
constexpr std::string_view kPoApprovedAliases[] = {"PURCHASE_ORDER_APPROVED"};
constexpr std::string_view kForecastAliases[] = {"FORECAST_GENERATED"};

constexpr std::span<const std::string_view> None() {
  return std::span<const std::string_view>(kNoAliases, 0);
}

constexpr std::array kCatalog = {
    EventTypeInfo{"catalog.product.created", "product", 1, "catalog",
                  "orders, notifications, analytics", "A product was added.",
                  kProductCreated, None()},
    EventTypeInfo{"catalog.product.updated", "product", 1, "catalog",
                  "orders, notifications, analytics", "Product fields changed.",
                  kProductUpdated, kProductUpdatedAliases},
    EventTypeInfo{"catalog.product.deleted", "product", 1, "catalog",
                  "orders, inventory, analytics",
                  "A product was retired; new orders for it are refused.",
                  kProductDeleted, None()},
    EventTypeInfo{"catalog.sku.claimed", "sku", 1, "catalog", "catalog",
                  "A product took a sku (the per-tenant uniqueness index).",
                  kSkuClaim, None()},
    EventTypeInfo{"catalog.sku.released", "sku", 1, "catalog", "catalog",
                  "A sku became free (product deleted or its sku changed).",
                  kSkuClaim, None()},
    EventTypeInfo{"catalog.location.created", "location", 1, "catalog",
                  "inventory", "A stock location was added.", kLocationCreated,
                  None()},
    EventTypeInfo{"catalog.supplier.created", "supplier", 1, "catalog",
                  "purchasing", "A supplier was added.", kSupplier, None()},
    EventTypeInfo{"catalog.supplier.updated", "supplier", 1, "catalog",
                  "purchasing", "Supplier fields changed.", kSupplier,
                  kSupplierUpdatedAliases},
    EventTypeInfo{"user.registered", "user", 1, "users",
                  "notifications, analytics", "A user account was created.",
                  kUserRegistered, kUserRegisteredAliases},
    EventTypeInfo{"user.updated", "user", 1, "users",
                  "notifications, analytics", "A user account changed.",
                  kUserUpdated, None()},
    EventTypeInfo{"user.password.set", "user", 1, "users", "users",
                  "A user's password hash was set (registration or change).",
                  kUserPasswordSet, None()},
    EventTypeInfo{"user.email.claimed", "user_email", 1, "users", "users",
                  "A user took an email address (the per-tenant uniqueness "
                  "index).",
                  kEmailClaim, None()},
    EventTypeInfo{"user.email.released", "user_email", 1, "users", "users",
                  "An email address became free (a registration failed).",
                  kEmailClaim, None()},
    EventTypeInfo{"inventory.stock.received", "inventory_position", 1,
                  "inventory", "projections, purchasing",
                  "Goods arrived at a location (receipt, WMS, PO receipt).",
                  kStockReceived, kReceivedAliases},
    EventTypeInfo{"inventory.stock.adjusted", "inventory_position", 1,
                  "inventory",
                  "forecasting, replenishment, accounting, analytics",
                  "On-hand stock changed by a counted reason.", kStockAdjusted,
                  kAdjustedAliases},
    EventTypeInfo{"inventory.stock.reserved", "inventory_reservation", 1,
                  "inventory", "orders saga",
                  "Every line of an order was reserved, all or nothing.",
                  kReservation, None()},
    EventTypeInfo{"inventory.stock.reservation_failed", "inventory_reservation",
                  1, "inventory", "orders saga",
                  "An order could not be reserved; nothing is held.",
                  kReservationFailed, None()},
    EventTypeInfo{"inventory.stock.released", "inventory_reservation", 1,
                  "inventory", "orders saga",
                  "A reservation was released (cancel, timeout).", kReservation,
                  None()},
    EventTypeInfo{"inventory.stock.committed", "inventory_reservation", 1,
                  "inventory", "analytics, forecasting",
                  "A reservation shipped: onHand decreased.", kReservation,
                  None()},
    EventTypeInfo{"inventory.position.reserved", "inventory_item", 1,
                  "inventory", "projections",
                  "One product's part of an order's reservation is held "
                  "(before the order-level outcome).",
                  kPositionHold, None()},
    EventTypeInfo{"inventory.position.released", "inventory_item", 1,
                  "inventory", "projections",
                  "One product's hold for an order was freed.", kPositionHold,
                  None()},
    EventTypeInfo{"inventory.position.committed", "inventory_item", 1,
                  "inventory", "projections",
                  "One product's hold for an order shipped: onHand decreased.",
                  kPositionHold, None()},
    EventTypeInfo{"inventory.position.backorder_filled", "inventory_item", 1,
                  "inventory", "orders saga, projections",
                  "Stock that became available at a location went to an "
                  "order's backorder (oldest first) before any new order.",
                  kBackorderFilled, None()},
    EventTypeInfo{"inventory.stock.low", "inventory_position", 1, "inventory",
                  "notifications, replenishment",
                  "Available fell to or below the reorder point (once per "
                  "crossing).",
                  kStockLevel, kLowAliases},
    EventTypeInfo{"inventory.stock.restored", "inventory_position", 1,
                  "inventory", "notifications, replenishment",
                  "Available rose above the reorder point again.", kStockLevel,
                  None()},
    EventTypeInfo{"inventory.transfer.initiated", "inventory_transfer", 1,
                  "inventory", "projections",
                  "Stock left a location and is in transit.",
                  kTransferInitiated, kTransferAliases},
    EventTypeInfo{"inventory.transfer.completed", "inventory_transfer", 1,
                  "inventory", "projections",
                  "In-transit stock arrived at its destination.",
                  kTransferCompleted, None()},
    EventTypeInfo{"sales.sale.completed", "sale", 1, "POS integration",
                  "inventory", "A point-of-sale sale took stock.",
                  kSaleCompleted, kSaleAliases},
    EventTypeInfo{"integration.event.received", "integration_event", 1,
                  "integrations", "inventory, billing",
                  "Another system's stock movement or payment, recorded once "
                  "by eventId for the owning service to act on.",
                  kIntegrationReceived, None()},
    EventTypeInfo{"order.created", "order", 1, "orders",
                  "inventory, billing, notifications", "An order was placed.",
                  kOrderCreated, kOrderCreatedAliases},
    EventTypeInfo{"order.confirmed", "order", 1, "orders",
                  "billing, notifications", "Stock is reserved for the order.",
                  kOrderConfirmed, None()},
    EventTypeInfo{"order.rejected", "order", 1, "orders", "notifications",
                  "The order could not be fulfilled.", kOrderStatus, None()},
    EventTypeInfo{"order.cancelled", "order", 1, "orders",
                  "inventory, billing, notifications",
                  "The order was cancelled; its reservation is released.",
                  kOrderStatus, None()},
    EventTypeInfo{"order.paid", "order", 1, "orders", "notifications",
                  "The order's bill was paid.", kOrderStatus, None()},
    EventTypeInfo{"order.shipped", "order", 1, "orders",
                  "inventory, notifications",
                  "The order shipped; its reservation is committed.",
                  kOrderStatus, None()},
    EventTypeInfo{"order.delivered", "order", 1, "orders", "notifications",
                  "The order reached the customer.", kOrderStatus, None()},
    EventTypeInfo{"order.backorder_filled", "order", 1, "orders", "projections",
                  "Units the order waited for arrived "
                  "(inventory.position.backorder_filled); it may ship once "
                  "none wait.",
                  kOrderBackorderFilled, None()},
    EventTypeInfo{"order.updated", "order", 1, "orders",
                  "consumers written against the seeds",
                  "Any status change, for consumers that want one type.",
                  kOrderUpdated, kOrderUpdatedAliases},
    EventTypeInfo{"payment.succeeded", "payment", 1, "billing",
                  "orders, notifications", "A payment for an order cleared.",
                  kPayment, kPaymentOkAliases},
    EventTypeInfo{"payment.failed", "payment", 1, "billing",
                  "orders, notifications", "A payment attempt failed.",
                  kPayment, None()},
    EventTypeInfo{"bill.created", "bill", 1, "billing", "notifications",
                  "A bill was opened for a confirmed order.", kBillCreated,
                  None()},
    EventTypeInfo{"bill.paid", "bill", 1, "billing", "orders, notifications",
                  "A bill was paid in full.", kBillPaid, None()},
    EventTypeInfo{"tenant.settings.updated", "tenant", 1, "tenant",
                  "every service (metadata.businessContext), forecasting",
                  "A tenant's business calendar settings were replaced.",
                  kTenantSettings, None()},
    EventTypeInfo{"replenishment.rule.set", "replenishment", 1, "purchasing",
                  "purchasing",
                  "A product's replenishment rule at a location was set.",
                  kRuleSet, None()},
    EventTypeInfo{"replenishment.triggered", "replenishment", 1, "purchasing",
                  "purchasing", "A replenishment rule asked for more stock.",
                  kReplenishment, kReplenishmentAliases},
    EventTypeInfo{"purchasing.po_number.assigned", "po_number", 1, "purchasing",
                  "purchasing",
                  "The tenant's next purchase-order number was taken.",
                  kPoNumber, None()},
    EventTypeInfo{"purchasing.order.created", "purchase_order", 1, "purchasing",
                  "inventory, notifications",
                  "A purchase order was raised (pending or auto-approved).",
                  kPurchaseOrderCreated, kPoCreatedAliases},
    EventTypeInfo{"purchasing.order.approved", "purchase_order", 1,
                  "purchasing", "notifications",
                  "A pending purchase order was approved.",
                  kPurchaseOrderApproved, kPoApprovedAliases},
    EventTypeInfo{"purchasing.order.received", "purchase_order", 1,
                  "purchasing", "inventory, notifications",
                  "Goods of a purchase order were received (maybe partly).",
                  kPurchaseOrderReceived, None()},
    EventTypeInfo{"purchasing.order.cancelled", "purchase_order", 1,
                  "purchasing", "notifications",
                  "A pending or approved purchase order was cancelled.",
                  kPurchaseOrderCancelled, None()},
    EventTypeInfo{"forecast.generated", "forecast", 1, "forecasting",
                  "purchasing, analytics", "A demand forecast was computed.",
                  kForecast, kForecastAliases},
    EventTypeInfo{"notification.sent", "notification", 1, "notifications",
                  "analytics", "A notification was delivered on a channel.",
                  kNotificationSent, None()},
    EventTypeInfo{"notification.alert.raised", "alert", 1, "notifications",
                  "notifications (log, email), dashboard",
                  "An alert was raised (low stock, purchase order awaiting "
                  "approval, payment failed).",
                  kAlertRaised, None()},
    EventTypeInfo{"notification.alert.resolved", "alert", 1, "notifications",
                  "dashboard",
                  "An alert was resolved: its condition cleared, or by hand.",
                  kAlertResolved, None()},
    EventTypeInfo{"notification.webhook.registered", "webhook", 1,
                  "notifications", "notifications", "A webhook was registered.",
                  kWebhookRegistered, None()},
    EventTypeInfo{"notification.webhook.deleted", "webhook", 1, "notifications",
                  "notifications", "A webhook was removed.", kWebhookDeleted,
                  None()},
    EventTypeInfo{"notification.delivery.requested", "notification", 1,
                  "notifications", "notifications",
                  "An event is to be POSTed to a webhook (one per webhook "
                  "and event; retried and dead-lettered on its own).",
                  kDeliveryRequested, None()},
    EventTypeInfo{"document.uploaded", "document", 1, "purchasing",
                  "purchasing, analytics",
                  "A document (e.g. a supplier invoice) was attached to a "
                  "purchase order (POST /purchase-orders/{id}/documents); "
                  "Stockpile keeps its description, not its bytes.",
                  kDocumentUploaded, None()},
};

}  // namespace

std::span<const EventTypeInfo> EventCatalog() { return kCatalog; }

const EventTypeInfo* FindEventType(std::string_view type) {
  for (const EventTypeInfo& info : kCatalog) {
    if (info.type == type) return &info;
  }
  return nullptr;
}

std::string_view CanonicalEventType(std::string_view name) {
  for (const EventTypeInfo& info : kCatalog) {
    if (info.type == name) return info.type;
    for (std::string_view alias : info.aliases) {
      if (alias == name) return info.type;
    }
  }
  return {};
}

std::string_view FieldTypeName(FieldType type) {
  switch (type) {
    case FieldType::kString:
      return "string";
    case FieldType::kInteger:
      return "integer";
    case FieldType::kNumber:
      return "number";
    case FieldType::kBoolean:
      return "boolean";
    case FieldType::kObject:
      return "object";
    case FieldType::kArray:
      return "array";
  }
  return "unknown";
}

std::string RenderEventCatalogMarkdown() {
  std::string out =
      "# Event catalog\n\n"
      "Generated from `src/domain/event_catalog.cc` by `stockpile events "
      "catalog`; do not edit by hand (a test compares the two).\n\n"
      "Every event travels in the envelope of DESIGN.md §2; `eventType` is "
      "the routing key. Seed names are accepted on ingest "
      "(`POST /api/v1/integrations/events`) and mapped to the canonical "
      "type.\n\n"
      "| type | version | producer | consumers | seed aliases |\n"
      "|---|---|---|---|---|\n";
  for (const EventTypeInfo& e : kCatalog) {
    std::string aliases;
    for (std::string_view a : e.aliases) {
      if (!aliases.empty()) aliases += ", ";
      aliases += "`" + std::string(a) + "`";
    }
    out += "| [`" + std::string(e.type) + "`](#";
    for (char c : e.type) {
      if (c != '.') out.push_back(c);
    }
    out += ") | " + std::to_string(e.schema_version) + " | " +
           std::string(e.producer) + " | " + std::string(e.consumers) + " | " +
           (aliases.empty() ? "—" : aliases) + " |\n";
  }
  for (const EventTypeInfo& e : kCatalog) {
    out += "\n## " + std::string(e.type) + "\n\n" + std::string(e.description) +
           "\n\naggregateType `" + std::string(e.aggregate_type) +
           "`, schema version " + std::to_string(e.schema_version) +
           ".\n\n| field | type | required | meaning |\n|---|---|---|---|\n";
    for (const PayloadField& f : e.fields) {
      out += "| `" + std::string(f.name) + "` | " +
             std::string(FieldTypeName(f.type)) + " | " +
             (f.required ? "yes" : "no") + " | " + std::string(f.description) +
             " |\n";
    }
  }
  return out;
}

}  // namespace stockpile::domain
