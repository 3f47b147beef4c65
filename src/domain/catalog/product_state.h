// ProductState: the product aggregate (stream "product-<id>"), folded from
// catalog.product.created / updated / deleted; and SkuState: the owner of
// one sku within a tenant (stream "sku-<uuid of the sku>"), folded from
// catalog.sku.claimed / released. The sku stream is the uniqueness index:
// two concurrent creates with the same sku both append to it with an exact
// expected version, so only one can claim it.
//
// Thread-safety: plain values.
#ifndef STOCKPILE_DOMAIN_CATALOG_PRODUCT_STATE_H_
#define STOCKPILE_DOMAIN_CATALOG_PRODUCT_STATE_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/event.h"
#include "core/result.h"

namespace stockpile::domain::catalog {

inline constexpr std::string_view kProductCreated = "catalog.product.created";
inline constexpr std::string_view kProductUpdated = "catalog.product.updated";
inline constexpr std::string_view kProductDeleted = "catalog.product.deleted";
inline constexpr std::string_view kSkuClaimed = "catalog.sku.claimed";
inline constexpr std::string_view kSkuReleased = "catalog.sku.released";

std::string ProductStream(std::string_view product_id);
std::string SkuStream(std::string_view sku);

struct ProductState {
  static constexpr int kSnapshotSchema = 1;

  bool exists = false;
  bool deleted = false;
  std::string id;
  std::string sku;
  std::string name;
  int64_t price_minor = 0;  // minor units of `currency`
  std::string currency;
  std::string unit;
  int64_t reorder_point = 0;
  bool active = true;
  bool allow_backorder = false;

  // The product as created (all fields) / the `changes` object of updates.
  boost::json::object ToJson() const;

  void Apply(const core::Event& e);
  boost::json::object ToSnapshot() const { return ToJson(); }
  static core::Result<ProductState> FromSnapshot(const boost::json::object& o);

 private:
  void ApplyFields(const boost::json::object& fields);
};

struct SkuState {
  static constexpr int kSnapshotSchema = 1;

  std::string product_id;  // "" when nobody holds the sku

  void Apply(const core::Event& e);
  boost::json::object ToSnapshot() const;
  static core::Result<SkuState> FromSnapshot(const boost::json::object& o);
};

}  // namespace stockpile::domain::catalog

#endif  // STOCKPILE_DOMAIN_CATALOG_PRODUCT_STATE_H_
