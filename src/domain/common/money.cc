#include "domain/common/money.h"

#include <array>
#include <charconv>
#include <cmath>
#include <string>
#include <system_error>

namespace stockpile::domain::common {

namespace {

core::Status Bad(std::string_view field, std::string_view why) {
  return core::InvalidArgumentError(std::string(field) + " " +
                                    std::string(why));
}

// Active ISO 4217 alphabetic codes (incl. funds/precious-metal codes that
// are legal tender units in trade, excluding test and "no currency" codes).
constexpr std::string_view kIso4217 =
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND "
    "BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU "
    "CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS "
    "GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY "
    "KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA "
    "MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD "
    "OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK "
    "SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD "
    "TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XCD XCG "
    "XOF XPF YER ZAR ZMW ZWG ZWL";

}  // namespace

core::Result<int64_t> ParseMoney(const boost::json::value& v,
                                 std::string_view field) {
  if (const int64_t* i = v.if_int64()) {
    if (*i > kMaxMoneyMinor / 100 || *i < -kMaxMoneyMinor / 100) {
      return Bad(field, "is out of range");
    }
    return *i * 100;
  }
  if (const uint64_t* u = v.if_uint64()) {
    if (*u > static_cast<uint64_t>(kMaxMoneyMinor / 100)) {
      return Bad(field, "is out of range");
    }
    return static_cast<int64_t>(*u) * 100;
  }
  const double* d = v.if_double();
  if (d == nullptr) return Bad(field, "must be a number");
  if (!std::isfinite(*d) ||
      std::fabs(*d) > static_cast<double>(kMaxMoneyMinor) / 100.0) {
    return Bad(field, "is out of range");
  }
  // The shortest decimal text that reads back as *d: the number the client
  // wrote, as far as a double can tell.
  std::array<char, 64> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), *d,
                                 std::chars_format::fixed);
  if (ec != std::errc()) return Bad(field, "is out of range");
  std::string_view text(buf.data(), static_cast<size_t>(end - buf.data()));
  bool negative = false;
  if (!text.empty() && text.front() == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  const size_t dot = text.find('.');
  std::string_view whole = text.substr(0, dot);
  std::string_view frac =
      dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (frac.size() > 2) return Bad(field, "has more than 2 decimals");
  int64_t units = 0;
  for (char c : whole) units = units * 10 + (c - '0');
  int64_t cents = 0;
  for (size_t k = 0; k < 2; ++k) {
    cents = cents * 10 + (k < frac.size() ? frac[k] - '0' : 0);
  }
  const int64_t minor = units * 100 + cents;
  return negative ? -minor : minor;
}

boost::json::value MoneyToJson(int64_t minor) {
  if (minor % 100 == 0) return boost::json::value(minor / 100);
  // Both operands are exact doubles and IEEE division rounds correctly, so
  // this is the double nearest to the decimal minor/100.
  return boost::json::value(static_cast<double>(minor) / 100.0);
}

core::Result<int64_t> ParseQuantity(const boost::json::value& v,
                                    std::string_view field) {
  int64_t q = 0;
  if (const int64_t* i = v.if_int64()) {
    q = *i;
  } else if (const uint64_t* u = v.if_uint64()) {
    if (*u > static_cast<uint64_t>(kMaxQuantity)) {
      return Bad(field, "is out of range");
    }
    q = static_cast<int64_t>(*u);
  } else {
    return Bad(field, "must be an integer");
  }
  if (q > kMaxQuantity || q < -kMaxQuantity) {
    return Bad(field, "is out of range");
  }
  return q;
}

bool IsIso4217(std::string_view code) {
  if (code.size() != 3) return false;
  for (size_t i = 0; i + 3 <= kIso4217.size(); i += 4) {
    if (kIso4217.substr(i, 3) == code) return true;
  }
  return false;
}

}  // namespace stockpile::domain::common
