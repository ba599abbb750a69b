// Horizontal bar charts as inline SVG for the HTML report: one group of
// bars per item (an area or an SDGs Desa goal), the item's label above its
// bars so long names fit a phone screen, values at the bar ends, a legend,
// vertical grid lines with tick labels and an axis title. No scripts, no
// external fonts or images: the markup is self-contained.
//
// Thread-safety: pure functions.
#ifndef KAWAL_TOOLS_REPORT_SVG_CHART_H_
#define KAWAL_TOOLS_REPORT_SVG_CHART_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace kawal::report {

// `text` with &, <, >, " and ' replaced by entities; for HTML and SVG text
// and attribute values.
std::string EscapeHtml(absl::string_view text);

struct ChartSeries {
  std::string name;   // legend text
  std::string color;  // CSS color, e.g. "#1565c0"
};

struct ChartItem {
  std::string label;
  // One value per series (missing ones are 0); negative values draw as 0.
  std::vector<double> values;
  // The text at the end of each bar; empty: the tick format of the value.
  std::vector<std::string> value_labels;
};

struct BarChart {
  std::string title;       // the chart's accessible name (<title>)
  std::string axis_label;  // under the tick labels, e.g. "Rupiah"
  std::vector<ChartSeries> series;
  std::vector<ChartItem> items;
  // The axis maximum; 0: a round number at or above the largest value.
  double max_value = 0;
  // Tick (and default value) labels; plain numbers when unset.
  std::function<std::string(double)> format;
  // Shown instead of bars when there are no items.
  std::string empty_text;
  // A value label inside its bar gets its color as a fill attribute, not an
  // inline style: for pages whose Content-Security-Policy forbids inline
  // styles (kawal-web). Their stylesheet must then set no fill on .value,
  // which would override the attribute.
  bool no_inline_style = false;
};

// The chart as one <svg> element, 400 user units wide (scaled to the page
// width by CSS), as tall as its items need.
std::string RenderBarChart(const BarChart& chart);

// Tick values from 0 to a round maximum at or above `max` (at most 6 ticks),
// e.g. 0, 50, 100, 150 for 137.
std::vector<double> NiceTicks(double max);

}  // namespace kawal::report

#endif  // KAWAL_TOOLS_REPORT_SVG_CHART_H_
