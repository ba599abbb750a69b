// Output formatting for kawal-field: aligned tables, rupiah, percentages,
// local times, field values for people, and JSON for records and status.
//
// Thread-safety: pure functions; a Table is used by one thread.
#ifndef KAWAL_MOBILE_APP_OUTPUT_H_
#define KAWAL_MOBILE_APP_OUTPUT_H_

#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "kawal/mobile/device.h"
#include "kawal/sync/record.h"
#include "messages.h"

namespace kawal::field {

// Columns padded to their widest cell (counted in characters, not bytes);
// right-aligned columns are for numbers and money.
class Table {
 public:
  explicit Table(std::vector<std::string> headers, std::vector<bool> right_aligned = {});
  void AddRow(std::vector<std::string> cells);
  // Header, a rule, the rows; each line ends in '\n' without trailing blanks.
  std::string Render() const;
  bool empty() const { return rows_.empty(); }

 private:
  std::vector<std::string> headers_;
  std::vector<bool> right_;
  std::vector<std::vector<std::string>> rows_;
};

// Characters (UTF-8 code points) in `s`.
size_t DisplayWidth(const std::string& s);
// "label : value" lines with the colons aligned, each ending in '\n'.
std::string LabelledLines(const std::vector<std::pair<std::string, std::string>>& lines);
// `s` cut to at most `width` characters, ending in "…" when cut.
std::string Truncate(const std::string& s, size_t width);

// 150000000 -> "150.000.000" (id) / "150,000,000" (en).
std::string GroupThousands(Lang lang, int64_t n);
// "Rp 150.000.000" / "Rp 150,000,000".
std::string Rupiah(Lang lang, int64_t n);
// Sum of an amounts value (0 for anything else).
int64_t AmountTotal(const sync::Value* value);
// 45.5 -> "45,5" (id) / "45.5" (en); integers without a fraction.
std::string Decimal(Lang lang, double d);
// Milliseconds since the epoch as local time "2026-03-05 14:07 WIB".
std::string LocalTime(int64_t ms);
// Today's local date, YYYY-MM-DD.
std::string LocalDateToday();
// The first 8 characters of a record id (what lists show).
std::string ShortId(const std::string& id);

// A field value for people: amounts as "DDS Rp 150.000.000 + ADD Rp ...
// (Rp ...)", lists comma-separated, enum values labelled, sector named.
std::string DisplayValue(Lang lang, const std::string& field, const sync::Value& value);

// RecordToJson of `record`, with "pending" (and "rejected" when set)
// members added.
std::string RecordJsonWithState(const sync::RecordState& record, bool pending, bool rejected);
// A JSON array of the records' RecordToJson.
std::string RecordsJson(const std::vector<sync::RecordState>& records);
// The status object: pending_records, rejected_records, last_sync_ms,
// last_attempt_ms, server, user, role, scopes, incarnation, last_error, home.
std::string StatusJson(const mobile::StatusView& status, const std::string& home);
std::string RejectionsJson(const std::vector<mobile::RejectionView>& rejections);
std::string SyncReportJson(const mobile::SyncReport& report);

// Writes `text` to stdout and flushes.
void Print(const std::string& text);
// Writes `line` and a newline to stderr.
void PrintError(const std::string& line);

}  // namespace kawal::field

#endif  // KAWAL_MOBILE_APP_OUTPUT_H_
