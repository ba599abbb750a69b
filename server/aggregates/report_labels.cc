#include "aggregates/report_labels.h"

#include "kawal/sync/domain_labels.h"

namespace kawal::server {

std::vector<std::string> BreakdownKeys(const std::string& dim) {
  std::vector<std::string> keys;
  for (const sync::DomainLabel& label : sync::DomainLabels(dim)) keys.emplace_back(label.key);
  return keys;
}

std::string BreakdownLabel(const std::string& dim, const std::string& key) {
  if (sync::DomainLabels(dim).empty()) return "";
  const sync::DomainLabel* label = sync::FindDomainLabel(dim, key);
  return label != nullptr ? label->id : key;
}

}  // namespace kawal::server
