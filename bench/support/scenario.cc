#include "scenario.h"

namespace kawal::bench {

std::map<std::string, ScenarioFactory>& Scenarios() {
  // Never destroyed: registrations run during static initialization.
  static auto* const scenarios = new std::map<std::string, ScenarioFactory>();
  return *scenarios;
}

}  // namespace kawal::bench
