#include "args.h"

#include <algorithm>
#include <cctype>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace kawal::field {
namespace {

bool Contains(const std::vector<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

template <size_t N>
bool Contains(const char* const (&list)[N], const std::string& s) {
  for (const char* item : list) {
    if (s == item) return true;
  }
  return false;
}

bool IsGlobal(const std::string& name) {
  return Contains(kGlobalValueFlags, name) || Contains(kGlobalBoolFlags, name);
}

}  // namespace

bool Args::Bool(const std::string& name) const { return Contains(bools, name); }

std::string Args::Get(const std::string& name, const std::string& fallback) const {
  auto it = values.find(name);
  return it == values.end() ? fallback : it->second;
}

std::optional<UsageError> ParseArgs(int argc, char** argv,
                                    const std::function<bool(const std::string&)>& takes_value,
                                    Args* out) {
  bool only_words = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (only_words || arg.size() < 2 || arg[0] != '-') {
      out->words.push_back(arg);
      continue;
    }
    if (arg == "--") {
      only_words = true;
      continue;
    }
    if (!absl::StartsWith(arg, "--")) {
      if (arg == "-h") {
        out->bools.push_back("help");
        continue;
      }
      return UsageError{Msg::kShortFlag, {arg}};
    }
    const size_t eq = arg.find('=');
    std::string name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    if (name.empty()) return UsageError{Msg::kShortFlag, {arg}};
    if (out->values.count(name) || Contains(out->bools, name)) {
      return UsageError{Msg::kFlagTwice, {name}};
    }
    if (eq != std::string::npos) {
      out->values[name] = arg.substr(eq + 1);
    } else if (takes_value(name)) {
      // "--key value". A value may start with '-' (--lat -2.21) but not
      // with "--": that is the next flag, and this one was left empty.
      if (i + 1 >= argc || absl::StartsWith(argv[i + 1], "--")) {
        return UsageError{Msg::kFlagNeedsValue, {name}};
      }
      out->values[name] = argv[++i];
      arg = absl::StrCat("--", name, "=", out->values[name]);
    } else {
      out->bools.push_back(name);
    }
    out->typed.emplace_back(name, arg);
  }
  return std::nullopt;
}

std::optional<UsageError> CheckArgs(const Args& args, size_t command_words,
                                    const CommandSpec& spec) {
  for (const auto& [name, text] : args.typed) {
    const bool is_value = args.values.count(name) > 0;
    const bool value_flag = Contains(spec.value_flags, name) || Contains(kGlobalValueFlags, name);
    const bool bool_flag = Contains(spec.bool_flags, name) || Contains(kGlobalBoolFlags, name);
    if (!value_flag && !bool_flag) return UsageError{Msg::kUnknownFlag, {spec.name, name}};
    if (value_flag && !is_value) return UsageError{Msg::kFlagNeedsValue, {name}};
    if (bool_flag && is_value) return UsageError{Msg::kFlagTakesNoValue, {name}};
  }
  for (const std::string& required : spec.required) {
    if (!args.Has(required)) return UsageError{Msg::kMissingFlag, {spec.name, required}};
  }
  const size_t have = args.words.size() - std::min(args.words.size(), command_words);
  if (have < spec.word_names.size()) {
    return UsageError{Msg::kMissingWord, {spec.name, spec.word_names[have]}};
  }
  if (have > spec.word_names.size()) {
    return UsageError{Msg::kExtraWord,
                      {spec.name, args.words[command_words + spec.word_names.size()]}};
  }
  return std::nullopt;
}

std::string ShellQuote(const std::string& s) {
  bool safe = !s.empty();
  for (char c : s) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (!(std::isalnum(u) || u >= 0x80 || absl::StrContains("-_.,:=/+@%", c))) safe = false;
  }
  if (safe) return s;
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out.push_back(c);
    }
  }
  out += "'";
  return out;
}

std::string TypedValues(const Args& args) {
  std::vector<std::string> parts;
  for (const auto& [name, text] : args.typed) {
    if (!IsGlobal(name)) parts.push_back(ShellQuote(text));
  }
  return absl::StrJoin(parts, " ");
}

}  // namespace kawal::field
