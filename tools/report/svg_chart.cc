#include "report/svg_chart.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace kawal::report {
namespace {

// Geometry, in SVG user units (the viewBox is kWidth wide).
constexpr double kWidth = 400;
constexpr double kLeft = 8;
constexpr double kRight = 392;
constexpr double kLegendHeight = 22;
constexpr double kLabelHeight = 15;  // the item label line above its bars
constexpr double kBarHeight = 12;
constexpr double kBarGap = 2;
constexpr double kGroupGap = 9;
constexpr double kAxisHeight = 36;  // tick labels and axis title
constexpr double kValueFont = 10;
constexpr double kCharWidth = 5.6;  // average glyph width at kValueFont, sans-serif

std::string Num(double v) { return absl::StrFormat("%.1f", v); }

double TextWidth(absl::string_view text) {
  size_t chars = 0;
  for (char c : text) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return chars * kCharWidth;
}

std::string PlainNumber(double v) { return absl::StrFormat("%.0f", v); }

// Text color readable on a bar of `color` ("#rrggbb"): dark on light bars,
// white on dark ones.
const char* TextOn(absl::string_view color) {
  if (color.size() != 7 || color[0] != '#') return "#ffffff";
  auto channel = [&](size_t i) {
    int v = 0;
    for (char c : color.substr(i, 2)) {
      v = v * 16 + (c >= 'a' ? c - 'a' + 10 : c >= 'A' ? c - 'A' + 10 : c - '0');
    }
    return v / 255.0;
  };
  const double luminance = 0.299 * channel(1) + 0.587 * channel(3) + 0.114 * channel(5);
  return luminance > 0.6 ? "#1a1a1a" : "#ffffff";
}

}  // namespace

std::string EscapeHtml(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::vector<double> NiceTicks(double max) {
  if (!(max > 0) || !std::isfinite(max)) return {0, 1};
  const double raw = max / 4;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double norm = raw / magnitude;
  double step = 10;
  for (double candidate : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (norm <= candidate + 1e-9) {
      step = candidate;
      break;
    }
  }
  step *= magnitude;
  const int count = static_cast<int>(std::ceil(max / step - 1e-9));
  std::vector<double> ticks;
  for (int i = 0; i <= count; ++i) ticks.push_back(step * i);
  return ticks;
}

std::string RenderBarChart(const BarChart& chart) {
  const auto format = chart.format ? chart.format : PlainNumber;
  const size_t n_series = std::max<size_t>(chart.series.size(), 1);
  const double group_height = kLabelHeight + n_series * (kBarHeight + kBarGap) + kGroupGap;
  const double plot_top = kLegendHeight + 4;
  const double plot_bottom =
      plot_top + (chart.items.empty() ? 30 : group_height * chart.items.size());
  const double height = plot_bottom + kAxisHeight;

  std::string svg = absl::StrCat(
      "<svg class=\"chart\" viewBox=\"0 0 ", Num(kWidth), " ", Num(height),
      "\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\" role=\"img\">\n<title>",
      EscapeHtml(chart.title), "</title>\n");

  // Legend.
  double x = kLeft;
  for (const ChartSeries& s : chart.series) {
    absl::StrAppend(&svg, "<rect x=\"", Num(x), "\" y=\"6\" width=\"10\" height=\"10\" fill=\"",
                    EscapeHtml(s.color), "\"/><text x=\"", Num(x + 14),
                    "\" y=\"15\" class=\"legend\">", EscapeHtml(s.name), "</text>\n");
    x += 14 + TextWidth(s.name) * 1.1 + 16;
  }

  if (chart.items.empty()) {
    absl::StrAppend(&svg, "<text x=\"", Num(kWidth / 2), "\" y=\"", Num(plot_top + 18),
                    "\" text-anchor=\"middle\" class=\"empty\">", EscapeHtml(chart.empty_text),
                    "</text>\n</svg>\n");
    return svg;
  }

  double data_max = 0;
  for (const ChartItem& item : chart.items) {
    for (double v : item.values) {
      if (std::isfinite(v)) data_max = std::max(data_max, v);
    }
  }
  std::vector<double> ticks;
  if (chart.max_value > 0) {
    for (int i = 0; i <= 4; ++i) ticks.push_back(chart.max_value * i / 4);
  } else {
    ticks = NiceTicks(data_max);
  }
  const double axis_max = ticks.back();
  const double span = kRight - kLeft;
  auto scale = [&](double v) {
    if (!std::isfinite(v) || v <= 0) return 0.0;
    return std::min(v, axis_max) / axis_max * span;
  };

  // Grid lines and tick labels.
  for (size_t i = 0; i < ticks.size(); ++i) {
    const double tx = kLeft + scale(ticks[i]);
    const char* anchor = i == 0 ? "start" : (i + 1 == ticks.size() ? "end" : "middle");
    absl::StrAppend(&svg, "<line x1=\"", Num(tx), "\" y1=\"", Num(plot_top), "\" x2=\"", Num(tx),
                    "\" y2=\"", Num(plot_bottom), "\" class=\"grid\"/>",
                    "<text x=\"", Num(tx), "\" y=\"", Num(plot_bottom + 13),
                    "\" text-anchor=\"", anchor, "\" class=\"tick\">",
                    EscapeHtml(format(ticks[i])), "</text>\n");
  }
  absl::StrAppend(&svg, "<line x1=\"", Num(kLeft), "\" y1=\"", Num(plot_bottom), "\" x2=\"",
                  Num(kRight), "\" y2=\"", Num(plot_bottom), "\" class=\"axis\"/>\n");
  absl::StrAppend(&svg, "<text x=\"", Num(kWidth / 2), "\" y=\"", Num(plot_bottom + 30),
                  "\" text-anchor=\"middle\" class=\"axis-title\">", EscapeHtml(chart.axis_label),
                  "</text>\n");

  // Bars.
  double y = plot_top;
  for (const ChartItem& item : chart.items) {
    absl::StrAppend(&svg, "<g><text x=\"", Num(kLeft), "\" y=\"", Num(y + 11),
                    "\" class=\"label\">", EscapeHtml(item.label), "</text>\n");
    double by = y + kLabelHeight;
    for (size_t s = 0; s < n_series; ++s) {
      const double v = s < item.values.size() ? item.values[s] : 0;
      const std::string color = s < chart.series.size() ? chart.series[s].color : "#1565c0";
      const std::string text = s < item.value_labels.size() && !item.value_labels[s].empty()
                                   ? item.value_labels[s]
                                   : format(std::isfinite(v) ? v : 0);
      const double w = scale(v);
      absl::StrAppend(&svg, "<rect x=\"", Num(kLeft), "\" y=\"", Num(by), "\" width=\"", Num(w),
                      "\" height=\"", Num(kBarHeight), "\" fill=\"", EscapeHtml(color), "\"/>");
      const double text_w = TextWidth(text);
      const double baseline = by + kBarHeight - 2.5;
      if (kLeft + w + 4 + text_w <= kRight) {
        absl::StrAppend(&svg, "<text x=\"", Num(kLeft + w + 4), "\" y=\"", Num(baseline),
                        "\" class=\"value\">", EscapeHtml(text), "</text>\n");
      } else {  // no room after the bar: inside it, right-aligned
        absl::StrAppend(&svg, "<text x=\"", Num(kLeft + w - 4), "\" y=\"", Num(baseline),
                        "\" text-anchor=\"end\" class=\"value\"",
                        chart.no_inline_style ? " fill=\"" : " style=\"fill:", TextOn(color),
                        "\">", EscapeHtml(text), "</text>\n");
      }
      by += kBarHeight + kBarGap;
    }
    absl::StrAppend(&svg, "</g>\n");
    y += group_height;
  }
  absl::StrAppend(&svg, "</svg>\n");
  return svg;
}

}  // namespace kawal::report
