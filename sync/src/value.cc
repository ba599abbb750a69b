#include "kawal/sync/value.h"

#include <cmath>
#include <charconv>
#include <cstdlib>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace kawal::sync {
namespace {

// Doubles ordered by their bit pattern mapped to a sortable integer, so the
// order is total (NaN included) and agrees with < for ordinary numbers.
int64_t SortableBits(double d) {
  int64_t bits;
  std::memcpy(&bits, &d, sizeof bits);
  return bits < 0 ? INT64_MIN - bits - 1 : bits;  // flip negatives
}

int CompareDouble(double a, double b) {
  int64_t x = SortableBits(a), y = SortableBits(b);
  return x < y ? -1 : (x > y ? 1 : 0);
}

template <typename T>
int Compare3(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

int CompareScalar(const Scalar& a, const Scalar& b) {
  if (a.index() != b.index()) return a.index() < b.index() ? -1 : 1;
  switch (a.index()) {
    case 0: return Compare3(std::get<0>(a), std::get<0>(b));
    case 1: return CompareDouble(std::get<1>(a), std::get<1>(b));
    case 2: return Compare3(std::get<2>(a), std::get<2>(b));
    default: return Compare3(std::get<3>(a), std::get<3>(b));
  }
}

int CompareValue(const Value& a, const Value& b) {
  if (a.index() != b.index()) return a.index() < b.index() ? -1 : 1;
  if (const auto* x = std::get_if<int64_t>(&a)) return Compare3(*x, std::get<int64_t>(b));
  if (const auto* x = std::get_if<double>(&a)) return CompareDouble(*x, std::get<double>(b));
  if (const auto* x = std::get_if<std::string>(&a)) return Compare3(*x, std::get<std::string>(b));
  if (const auto* x = std::get_if<bool>(&a)) return Compare3(*x, std::get<bool>(b));
  if (const auto* x = std::get_if<ScalarList>(&a)) {
    const auto& y = std::get<ScalarList>(b);
    for (size_t i = 0; i < x->size() && i < y.size(); ++i) {
      if (int c = CompareScalar((*x)[i], y[i]); c != 0) return c;
    }
    return Compare3(x->size(), y.size());
  }
  if (const auto* x = std::get_if<AmountMap>(&a)) return Compare3(*x, std::get<AmountMap>(b));
  return 0;  // Null
}

void AppendJsonString(std::string& out, const std::string& s) {
  out.push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}

void AppendJsonDouble(std::string& out, double d) {
  if (!std::isfinite(d)) {
    out += "null";  // JSON has no NaN/Infinity; validation rejects them anyway
    return;
  }
  // The shortest text that reads back exactly, in plain notation for
  // everyday magnitudes (150.0, not 1.5e+02).
  char buf[64];
  const bool plain = std::fabs(d) >= 1e-6 && std::fabs(d) < 1e15;
  auto result = plain ? std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed)
                      : std::to_chars(buf, buf + sizeof buf, d);
  std::string s(buf, result.ptr);
  // Keep the type visible: 12 would read back as an integer.
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  out += s;
}

void AppendScalar(std::string& out, const Scalar& s) {
  if (const auto* i = std::get_if<int64_t>(&s)) {
    absl::StrAppend(&out, *i);
  } else if (const auto* d = std::get_if<double>(&s)) {
    AppendJsonDouble(out, *d);
  } else if (const auto* str = std::get_if<std::string>(&s)) {
    AppendJsonString(out, *str);
  } else {
    out += std::get<bool>(s) ? "true" : "false";
  }
}

}  // namespace

ValueKind KindOf(const Value& value) { return static_cast<ValueKind>(value.index()); }

const char* KindName(ValueKind kind) {
  switch (kind) {
    case ValueKind::kNull: return "null";
    case ValueKind::kInt: return "integer";
    case ValueKind::kDouble: return "number";
    case ValueKind::kString: return "string";
    case ValueKind::kBool: return "boolean";
    case ValueKind::kList: return "list";
    case ValueKind::kAmounts: return "amounts";
  }
  return "unknown";
}

bool ValueLess(const Value& a, const Value& b) { return CompareValue(a, b) < 0; }
bool ValueEqual(const Value& a, const Value& b) { return CompareValue(a, b) == 0; }

std::string ValueToJson(const Value& value) {
  std::string out;
  switch (KindOf(value)) {
    case ValueKind::kNull: out = "null"; break;
    case ValueKind::kInt: absl::StrAppend(&out, std::get<int64_t>(value)); break;
    case ValueKind::kDouble: AppendJsonDouble(out, std::get<double>(value)); break;
    case ValueKind::kString: AppendJsonString(out, std::get<std::string>(value)); break;
    case ValueKind::kBool: out = std::get<bool>(value) ? "true" : "false"; break;
    case ValueKind::kList: {
      out.push_back('[');
      bool first = true;
      for (const Scalar& s : std::get<ScalarList>(value)) {
        if (!first) out.push_back(',');
        first = false;
        AppendScalar(out, s);
      }
      out.push_back(']');
      break;
    }
    case ValueKind::kAmounts: {
      out.push_back('{');
      bool first = true;
      for (const auto& [key, amount] : std::get<AmountMap>(value)) {
        if (!first) out.push_back(',');
        first = false;
        AppendJsonString(out, key);
        absl::StrAppend(&out, ":", amount);
      }
      out.push_back('}');
      break;
    }
  }
  return out;
}

}  // namespace kawal::sync
