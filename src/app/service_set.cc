#include "app/service_set.h"

#include <array>

namespace stockpile::app {
namespace {

struct ServiceInfo {
  Service service;
  std::string_view name;
  std::vector<std::string> owned;
  std::vector<std::string> published;
};

const std::array<ServiceInfo, kServiceCount>& Infos() {
  static const auto* const kInfos = new std::array<ServiceInfo, kServiceCount>{{
      {Service::kCatalog,
       "catalog",
       {"catalog.#"},
       // catalog.sku.* (the uniqueness claims) stay private.
       {"catalog.product.#", "catalog.location.#", "catalog.supplier.#"}},
      {Service::kInventory, "inventory", {"inventory.#"}, {"inventory.#"}},
      {Service::kOrders, "orders", {"order.#"}, {"order.#"}},
      {Service::kBilling,
       "billing",
       {"payment.#", "bill.#"},
       {"payment.#", "bill.#"}},
      // document.* describe documents attached to purchase orders.
      {Service::kPurchasing,
       "purchasing",
       {"replenishment.#", "purchasing.#", "document.#"},
       {"replenishment.#", "purchasing.#", "document.#"}},
      {Service::kForecasting, "forecasting", {"forecast.#"}, {"forecast.#"}},
      {Service::kAnalytics, "analytics", {}, {}},
      {Service::kNotifications,
       "notifications",
       {"notification.#"},
       {"notification.#"}},
      // user.password.set carries the password hash; user.email.* are the
      // uniqueness claims: neither leaves the users process.
      {Service::kUsers,
       "users",
       {"user.#"},
       {"user.registered", "user.updated"}},
      {Service::kTenant, "tenant", {"tenant.#"}, {"tenant.#"}},
      {Service::kIntegrations,
       "integrations",
       {"integration.#", "sales.#"},
       {"integration.#", "sales.#"}},
  }};
  return *kInfos;
}

const ServiceInfo& Info(Service service) {
  return Infos()[static_cast<size_t>(service)];
}

}  // namespace

const std::vector<Service>& AllServices() {
  static const auto* const kAll = [] {
    auto* all = new std::vector<Service>;
    for (const ServiceInfo& info : Infos()) all->push_back(info.service);
    return all;
  }();
  return *kAll;
}

std::string_view ServiceName(Service service) { return Info(service).name; }

const std::vector<std::string>& OwnedPatterns(Service service) {
  return Info(service).owned;
}

const std::vector<std::string>& PublishedPatterns(Service service) {
  return Info(service).published;
}

ServiceSet ServiceSet::All() {
  ServiceSet set;
  set.bits_.set();
  return set;
}

core::Result<ServiceSet> ServiceSet::Parse(std::string_view text) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
  };
  if (trim(text) == "all") return All();
  ServiceSet set;
  std::string_view rest = text;
  while (true) {
    const size_t comma = rest.find(',');
    const std::string_view name = trim(rest.substr(0, comma));
    const ServiceInfo* found = nullptr;
    for (const ServiceInfo& info : Infos()) {
      if (info.name == name) found = &info;
    }
    if (found == nullptr) {
      std::string known;
      for (const ServiceInfo& info : Infos()) {
        known += (known.empty() ? "" : ", ") + std::string(info.name);
      }
      return core::InvalidArgumentError("unknown service '" +
                                        std::string(name) + "' (known: all, " +
                                        known + ")");
    }
    const size_t bit = static_cast<size_t>(found->service);
    if (set.bits_.test(bit)) {
      return core::InvalidArgumentError("service '" + std::string(name) +
                                        "' is listed twice");
    }
    set.bits_.set(bit);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return set;
}

std::vector<Service> ServiceSet::services() const {
  std::vector<Service> out;
  for (Service s : AllServices()) {
    if (Runs(s)) out.push_back(s);
  }
  return out;
}

core::Status ServiceSet::Validate() const {
  if (Runs(Service::kPurchasing) &&
      !(Runs(Service::kCatalog) && Runs(Service::kInventory))) {
    return core::FailedPreconditionError(
        "service 'purchasing' must run in the same process as 'catalog' and "
        "'inventory' (it reads suppliers and stock positions directly); "
        "e.g. --services inventory,catalog,purchasing");
  }
  return core::Status::Ok();
}

std::string ServiceSet::ToString() const {
  if (all()) return "all";
  std::string out;
  for (Service s : services()) {
    if (!out.empty()) out += ',';
    out += ServiceName(s);
  }
  return out;
}

}  // namespace stockpile::app
