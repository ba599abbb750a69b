// kawal-field's command line: words, value flags (`--key=value` or
// `--key value`) and boolean `--flag`s, in any order. Each command names the
// flags it accepts; anything else is a usage error that names the flag.
// (Hand-written rather than CLI11: docs/mobile-core.md says why.)
//
// Thread-safety: plain value types and pure functions.
#ifndef KAWAL_MOBILE_APP_ARGS_H_
#define KAWAL_MOBILE_APP_ARGS_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "messages.h"

namespace kawal::field {

// A usage error: a message and its arguments, localized when printed.
struct UsageError {
  Msg msg;
  std::vector<std::string> args;
};

struct Args {
  std::vector<std::string> words;              // positionals in order
  std::map<std::string, std::string> values;   // --key=value or --key value
  std::vector<std::string> bools;              // --flag (no value)
  // Each flag as typed: (name, text such as "--progress=150"; "--key value"
  // is recorded as "--key=value").
  std::vector<std::pair<std::string, std::string>> typed;

  bool Has(const std::string& name) const { return values.count(name) > 0; }
  bool Bool(const std::string& name) const;
  // The value of --name, or `fallback` when absent.
  std::string Get(const std::string& name, const std::string& fallback = "") const;
};

// Splits argv[1..]. A flag for which `takes_value` is true and that has no
// "=" takes the next argument as its value, unless that is missing or is
// itself a "--flag" (a usage error naming the flag); other flags without
// "=" are booleans. Fails on a flag given twice and on "-x" short flags
// ("-h" is --help). Everything after "--" is a word.
std::optional<UsageError> ParseArgs(int argc, char** argv,
                                    const std::function<bool(const std::string&)>& takes_value,
                                    Args* out);

// The flags global to every command.
inline constexpr const char* kGlobalValueFlags[] = {"home", "lang"};
inline constexpr const char* kGlobalBoolFlags[] = {"json", "help", "version"};

// What one command accepts.
struct CommandSpec {
  std::string name;                        // "activity add": for messages
  std::vector<std::string> value_flags;    // --key=value
  std::vector<std::string> bool_flags;     // --flag
  std::vector<std::string> required;       // value flags that must be given
  std::vector<std::string> word_names;     // required words after the command, e.g. {"ID"}
};

// Checks `args` (minus the `command_words` leading words) against `spec`:
// unknown flags, a value flag without a value, a boolean flag with one,
// missing required flags, missing or extra words. The first problem wins.
std::optional<UsageError> CheckArgs(const Args& args, size_t command_words,
                                    const CommandSpec& spec);

// The flags of `args` that are not global, as typed (for echoing back the
// values of a refused write), joined by spaces and shell-quoted as needed.
std::string TypedValues(const Args& args);

// Quotes `s` for a POSIX shell when it holds anything but safe characters.
std::string ShellQuote(const std::string& s);

}  // namespace kawal::field

#endif  // KAWAL_MOBILE_APP_ARGS_H_
