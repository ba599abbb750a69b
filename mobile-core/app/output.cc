#include "output.h"

#include <time.h>

#include <algorithm>
#include <cmath>
#include <variant>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "json.h"
#include "record_json.h"

namespace kawal::field {

Table::Table(std::vector<std::string> headers, std::vector<bool> right_aligned)
    : headers_(std::move(headers)), right_(std::move(right_aligned)) {
  right_.resize(headers_.size(), false);
}

void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  rows_.push_back(std::move(cells));
}

std::string Table::Render() const {
  std::vector<size_t> width(headers_.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], DisplayWidth(row[c]));
  };
  measure(headers_);
  for (const auto& row : rows_) measure(row);
  auto line = [&](const std::vector<std::string>& row) {
    std::string out;
    for (size_t c = 0; c < row.size(); ++c) {
      const std::string pad(width[c] - DisplayWidth(row[c]), ' ');
      if (c > 0) out += "  ";
      out += right_[c] ? pad + row[c] : row[c] + pad;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line(headers_);
  std::vector<std::string> rule;
  for (size_t w : width) rule.push_back(std::string(w, '-'));
  out += line(rule);
  for (const auto& row : rows_) out += line(row);
  return out;
}

size_t DisplayWidth(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string LabelledLines(const std::vector<std::pair<std::string, std::string>>& lines) {
  size_t width = 0;
  for (const auto& [label, value] : lines) width = std::max(width, DisplayWidth(label));
  std::string out;
  for (const auto& [label, value] : lines) {
    absl::StrAppend(&out, label, std::string(width - DisplayWidth(label), ' '), " : ", value,
                    "\n");
  }
  return out;
}

std::string Truncate(const std::string& s, size_t width) {
  if (DisplayWidth(s) <= width || width == 0) return s;
  std::string out;
  size_t chars = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) != 0x80 && ++chars > width - 1) break;
    out.push_back(s[i]);
  }
  return out + "\xE2\x80\xA6";  // "…"
}

std::string GroupThousands(Lang lang, int64_t n) {
  const char sep = lang == Lang::kId ? '.' : ',';
  std::string digits = absl::StrCat(n < 0 ? -(n + 1) + uint64_t{1} : uint64_t(n));
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(sep);
    out.push_back(digits[i]);
  }
  return n < 0 ? "-" + out : out;
}

std::string Rupiah(Lang lang, int64_t n) { return "Rp " + GroupThousands(lang, n); }

int64_t AmountTotal(const sync::Value* value) {
  if (value == nullptr) return 0;
  const auto* amounts = std::get_if<sync::AmountMap>(value);
  if (amounts == nullptr) return 0;
  int64_t total = 0;
  for (const auto& [source, amount] : *amounts) total += amount;
  return total;
}

std::string Decimal(Lang lang, double d) {
  std::string out = d == std::floor(d) && std::fabs(d) < 1e15
                        ? absl::StrCat(static_cast<int64_t>(d))
                        : absl::StrFormat("%.6g", d);
  if (lang == Lang::kId) std::replace(out.begin(), out.end(), '.', ',');
  return out;
}

std::string LocalTime(int64_t ms) {
  const time_t seconds = static_cast<time_t>(ms / 1000);
  struct tm local;
  if (localtime_r(&seconds, &local) == nullptr) return absl::StrCat(ms);
  char buffer[64];
  size_t n = strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M %Z", &local);
  return std::string(buffer, n);
}

std::string LocalDateToday() {
  const time_t now = time(nullptr);
  struct tm local;
  localtime_r(&now, &local);
  char buffer[16];
  size_t n = strftime(buffer, sizeof buffer, "%Y-%m-%d", &local);
  return std::string(buffer, n);
}

std::string ShortId(const std::string& id) { return id.substr(0, 8); }

std::string DisplayValue(Lang lang, const std::string& field, const sync::Value& value) {
  if (std::holds_alternative<sync::Null>(value)) return "-";
  if (const auto* i = std::get_if<int64_t>(&value)) {
    if (field == "sector") return SectorLabel(lang, *i);
    if (field == "year" || field == "tranche") return absl::StrCat(*i);
    if (field == "wages") return Rupiah(lang, *i);
    return GroupThousands(lang, *i);
  }
  if (const auto* d = std::get_if<double>(&value)) {
    std::string text = Decimal(lang, *d);
    return field == "physical_progress_pct" ? text + "%" : text;
  }
  if (const auto* s = std::get_if<std::string>(&value)) return ValueLabel(lang, field, *s);
  if (const auto* b = std::get_if<bool>(&value)) return Tr(lang, *b ? Msg::kYes : Msg::kNo);
  if (const auto* list = std::get_if<sync::ScalarList>(&value)) {
    std::vector<std::string> parts;
    for (const sync::Scalar& item : *list) {
      if (const auto* li = std::get_if<int64_t>(&item)) {
        parts.push_back(absl::StrCat(*li));
      } else if (const auto* ls = std::get_if<std::string>(&item)) {
        parts.push_back(ValueLabel(lang, field, *ls));
      } else if (const auto* ld = std::get_if<double>(&item)) {
        parts.push_back(Decimal(lang, *ld));
      } else {
        parts.push_back(Tr(lang, std::get<bool>(item) ? Msg::kYes : Msg::kNo));
      }
    }
    return absl::StrJoin(parts, ", ");
  }
  const auto& amounts = std::get<sync::AmountMap>(value);
  std::vector<std::string> parts;
  for (const auto& [source, amount] : amounts) {
    parts.push_back(absl::StrCat(source, " ", Rupiah(lang, amount)));
  }
  std::string out = absl::StrJoin(parts, " + ");
  if (amounts.size() > 1) absl::StrAppend(&out, " = ", Rupiah(lang, AmountTotal(&value)));
  return out.empty() ? "-" : out;
}

std::string RecordJsonWithState(const sync::RecordState& record, bool pending, bool rejected) {
  std::string json = mobile::RecordToJson(record);
  json.pop_back();  // the closing '}' of the object
  absl::StrAppend(&json, ",\"pending\":", pending ? "true" : "false");
  if (rejected) json += ",\"rejected\":true";
  return json + "}";
}

std::string RecordsJson(const std::vector<sync::RecordState>& records) {
  std::vector<std::string> parts;
  for (const auto& r : records) parts.push_back(mobile::RecordToJson(r));
  return "[" + absl::StrJoin(parts, ",") + "]";
}

std::string StatusJson(const mobile::StatusView& s, const std::string& home) {
  mobile::JsonWriter w;
  w.BeginObject();
  w.Key("pending_records").Uint(s.pending_records);
  w.Key("rejected_records").Uint(s.rejected_records);
  w.Key("last_sync_ms").Int(s.last_sync_ms);
  w.Key("last_attempt_ms").Int(s.last_attempt_ms);
  w.Key("server").String(s.server);
  w.Key("user").String(s.user);
  w.Key("role").String(s.role);
  w.Key("scopes").BeginArray();
  for (const std::string& scope : s.scopes) w.String(scope);
  w.EndArray();
  w.Key("incarnation").String(s.incarnation);
  w.Key("last_error").String(s.last_error);
  w.Key("home").String(home);
  w.EndObject();
  return w.Release();
}

std::string RejectionsJson(const std::vector<mobile::RejectionView>& rejections) {
  mobile::JsonWriter w;
  w.BeginArray();
  for (const auto& r : rejections) {
    w.BeginObject();
    w.Key("collection").String(r.collection);
    w.Key("id").String(r.id);
    w.Key("scope").String(r.scope);
    w.Key("reason").String(r.reason);
    w.Key("message").String(r.message);
    w.Key("rejected_at_ms").Int(r.rejected_at_ms);
    w.EndObject();
  }
  w.EndArray();
  return w.Release();
}

std::string SyncReportJson(const mobile::SyncReport& r) {
  mobile::JsonWriter w;
  w.BeginObject();
  w.Key("pushed").Uint(r.pushed);
  w.Key("rejected").Uint(r.rejected);
  w.Key("pulled").Uint(r.pulled);
  w.Key("repushed_after_restore").Uint(r.repushed_after_restore);
  w.Key("restore_detected").Bool(r.restore_detected);
  w.Key("bytes_sent").Uint(r.bytes_sent);
  w.Key("bytes_received").Uint(r.bytes_received);
  w.Key("photos_uploaded").Uint(r.photos_uploaded);
  w.Key("photo_bytes_sent").Uint(r.photo_bytes_sent);
  w.Key("photos_failed").Uint(r.photos_failed);
  w.Key("retries").Int(r.retries);
  w.EndObject();
  return w.Release();
}

void Print(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

void PrintError(const std::string& line) {
  std::fprintf(stderr, "%s\n", line.c_str());
  std::fflush(stderr);
}

}  // namespace kawal::field
