// Typed field values: the C++ side of kawal.v1.Value.
//
// Values are totally ordered (by kind, then content) so that the merge can
// break ties between equal stamps deterministically.
//
// Thread-safety: plain value types.
#ifndef KAWAL_SYNC_VALUE_H_
#define KAWAL_SYNC_VALUE_H_

#include <compare>
#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace kawal::sync {

// A cleared field.
struct Null {
  friend auto operator<=>(const Null&, const Null&) = default;
  friend bool operator==(const Null&, const Null&) = default;
};

// One element of a list value.
using Scalar = std::variant<int64_t, double, std::string, bool>;
using ScalarList = std::vector<Scalar>;
// Integer amounts per key (rupiah per funding source code).
using AmountMap = std::map<std::string, int64_t>;

// Alternatives in this order; the index is the kind's rank in comparisons.
using Value = std::variant<Null, int64_t, double, std::string, bool, ScalarList, AmountMap>;

// The type names used in schemas and messages.
enum class ValueKind { kNull, kInt, kDouble, kString, kBool, kList, kAmounts };

ValueKind KindOf(const Value& value);
const char* KindName(ValueKind kind);

// A strict weak total order over values; NaN doubles compare by bit pattern,
// so the order is total even for values that validation would reject.
bool ValueLess(const Value& a, const Value& b);
bool ValueEqual(const Value& a, const Value& b);

// Compact JSON for a value: null, 12, 1.5, "text", true, [1,2], {"DDS":100}.
std::string ValueToJson(const Value& value);

}  // namespace kawal::sync

#endif  // KAWAL_SYNC_VALUE_H_
