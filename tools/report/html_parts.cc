#include "report/html_parts.h"

#include "absl/strings/str_cat.h"
#include "report/svg_chart.h"

namespace kawal::report {

const std::string& BaseCss() {
  static const std::string kCss = R"css(*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1a1a1a;background:#f2f4f7;line-height:1.4;-webkit-text-size-adjust:100%}
main{max-width:980px;margin:0 auto;padding:12px}
h1{font-size:1.3rem;margin:.2em 0}
h2{font-size:1.05rem;margin:0 0 .5em}
section{background:#fff;border-radius:8px;padding:12px;margin:12px 0;box-shadow:0 1px 2px rgba(0,0,0,.1)}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:8px;margin:12px 0}
.card{background:#fff;border-radius:8px;padding:10px;box-shadow:0 1px 2px rgba(0,0,0,.1)}
.card .v{display:block;font-size:1rem;font-weight:700;white-space:nowrap;font-variant-numeric:tabular-nums}
.card .k{display:block;font-size:.8rem;color:#555}
.card.alert .v{color:#b00020}
svg.chart{display:block;width:100%;height:auto;max-width:760px;font-family:inherit}
svg .label{font-size:11px;font-weight:600;fill:#222}
svg .value{font-size:10px}
svg .tick{font-size:9px;fill:#555}
svg .legend{font-size:10px;fill:#222}
svg .axis-title{font-size:10px;fill:#333;font-style:italic}
svg .empty{font-size:11px;fill:#777}
svg .grid{stroke:#e2e2e2;stroke-width:1}
svg .axis{stroke:#888;stroke-width:1}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;max-width:100%}
table{border-collapse:collapse;font-size:.85rem;white-space:nowrap}
th,td{padding:5px 8px;border-bottom:1px solid #e5e5e5;text-align:left;background:#fff}
th{background:#eef2f6;font-weight:600}
.n{text-align:right;font-variant-numeric:tabular-nums}
tr.never td{background:#fde2e2;color:#b00020;font-weight:600}
.note{font-size:.8rem;color:#666;margin:.4em 0 0}
footer{font-size:.75rem;color:#777;text-align:center;padding:8px}
@media (max-width:480px){main{padding:6px}section{padding:8px;margin:8px 0}h1{font-size:1.15rem}}
)css";
  return kCss;
}

std::string Card(const std::string& key, const std::string& value, const std::string& id,
                 bool alert) {
  return absl::StrCat("<div class=\"card", alert ? " alert" : "", "\"",
                      id.empty() ? "" : absl::StrCat(" id=\"", EscapeHtml(id), "\""),
                      "><span class=\"v\">", EscapeHtml(value), "</span><span class=\"k\">",
                      EscapeHtml(key), "</span></div>\n");
}

std::string Th(const std::string& text, bool number) {
  return absl::StrCat(number ? "<th class=\"n\">" : "<th>", EscapeHtml(text), "</th>");
}

std::string Td(const std::string& text, bool number) {
  return absl::StrCat(number ? "<td class=\"n\">" : "<td>", EscapeHtml(text), "</td>");
}

}  // namespace kawal::report
