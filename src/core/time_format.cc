#include "core/time_format.h"

#include <array>

namespace stockpile::core {

// Howard Hinnant's civil-date algorithms (public domain), proleptic Gregorian.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t& year, unsigned& month, unsigned& day) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  day = doy - (153 * mp + 2) / 5 + 1;
  month = mp < 10 ? mp + 3 : mp - 9;
  year = static_cast<int64_t>(yoe) + era * 400 + (month <= 2);
}

namespace {

void AppendDigits(std::string& out, int64_t value, int width) {
  std::array<char, 8> buf{};
  for (int i = width - 1; i >= 0; --i) {
    buf[static_cast<size_t>(i)] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out.append(buf.data(), static_cast<size_t>(width));
}

bool ReadDigits(std::string_view s, size_t pos, size_t n, int& value) {
  if (pos + n > s.size()) return false;
  value = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    value = value * 10 + (s[i] - '0');
  }
  return true;
}

unsigned DaysInMonth(int64_t year, unsigned month) {
  static constexpr std::array<unsigned, 12> kDays = {31, 28, 31, 30, 31, 30,
                                                     31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

void AppendRfc3339Millis(int64_t unix_millis, std::string& out) {
  int64_t days = unix_millis / 86'400'000;
  int64_t ms_of_day = unix_millis % 86'400'000;
  if (ms_of_day < 0) {
    ms_of_day += 86'400'000;
    --days;
  }
  int64_t year = 0;
  unsigned month = 0;
  unsigned day = 0;
  CivilFromDays(days, year, month, day);
  AppendDigits(out, year, 4);
  out.push_back('-');
  AppendDigits(out, month, 2);
  out.push_back('-');
  AppendDigits(out, day, 2);
  out.push_back('T');
  AppendDigits(out, ms_of_day / 3'600'000, 2);
  out.push_back(':');
  AppendDigits(out, ms_of_day / 60'000 % 60, 2);
  out.push_back(':');
  AppendDigits(out, ms_of_day / 1000 % 60, 2);
  out.push_back('.');
  AppendDigits(out, ms_of_day % 1000, 3);
  out.push_back('Z');
}

std::string FormatRfc3339Millis(int64_t unix_millis) {
  std::string out;
  out.reserve(24);
  AppendRfc3339Millis(unix_millis, out);
  return out;
}

Result<int64_t> ParseRfc3339Millis(std::string_view s) {
  auto bad = [&](std::string_view why) {
    std::string msg = "bad timestamp '";
    msg.append(s.substr(0, 64));
    msg += "': ";
    msg += why;
    return InvalidArgumentError(msg);
  };
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!ReadDigits(s, 0, 4, year) || s.size() < 20 || s[4] != '-' ||
      !ReadDigits(s, 5, 2, month) || s[7] != '-' || !ReadDigits(s, 8, 2, day)) {
    return bad("expected YYYY-MM-DDTHH:MM:SS followed by Z or an offset");
  }
  if (s[10] != 'T' && s[10] != 't') return bad("expected 'T' after the date");
  if (!ReadDigits(s, 11, 2, hour) || s[13] != ':' ||
      !ReadDigits(s, 14, 2, minute) || s[16] != ':' ||
      !ReadDigits(s, 17, 2, second)) {
    return bad("expected HH:MM:SS after the date");
  }
  if (month < 1 || month > 12) return bad("month out of range");
  if (day < 1 || static_cast<unsigned>(day) >
                     DaysInMonth(year, static_cast<unsigned>(month))) {
    return bad("day out of range");
  }
  if (hour > 23 || minute > 59 || second > 60) return bad("time out of range");
  if (second == 60) second = 59;  // leap second: clamp, as most systems do
  size_t pos = 19;
  int millis = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    size_t digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 3) millis = millis * 10 + (s[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return bad("empty fraction of a second");
    for (size_t i = digits; i < 3; ++i) millis *= 10;
  }
  int offset_minutes = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    const int sign = s[pos] == '+' ? 1 : -1;
    int oh = 0, om = 0;
    if (!ReadDigits(s, pos + 1, 2, oh) || pos + 3 >= s.size() ||
        s[pos + 3] != ':' || !ReadDigits(s, pos + 4, 2, om) || oh > 23 ||
        om > 59) {
      return bad("bad UTC offset, expected +hh:mm or -hh:mm");
    }
    offset_minutes = sign * (oh * 60 + om);
    pos += 6;
  } else {
    return bad("missing time zone: end with Z or an offset like +07:00");
  }
  if (pos != s.size()) return bad("unexpected characters after the time zone");
  const int64_t days = DaysFromCivil(year, static_cast<unsigned>(month),
                                     static_cast<unsigned>(day));
  const int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second -
                          static_cast<int64_t>(offset_minutes) * 60;
  return seconds * 1000 + millis;
}

}  // namespace stockpile::core
