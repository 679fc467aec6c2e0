// command_line.h — option parsing shared by ccmigrate's subcommands, and the description of a
// subcommand for main.cpp's dispatch table.
//
// ParseArgs accepts positional arguments, `--name VALUE`, `--name=VALUE` and `--flag` for the
// options a command declares, `--` to end options, and `--help`/-h anywhere. An undeclared option,
// a missing value or a repeated option is a usage error (exit 64) with a message that names it.
//
// Thread safety: pure functions.
#pragma once

#include <iosfwd>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "ccm/result.h"

namespace ccm::cli {

/// One option a command accepts.
struct OptionSpec {
  std::string name;  ///< without the leading "--"
  bool takes_value = false;
};

/// Parsed arguments of one command.
struct ParsedArgs {
  std::vector<std::string> positional;
  std::map<std::string, std::string> values;  ///< options with a value
  std::set<std::string> flags;                ///< options without one
  bool help = false;

  std::optional<std::string> Value(const std::string& name) const {
    auto it = values.find(name);
    return it == values.end() ? std::nullopt : std::optional<std::string>(it->second);
  }
  bool Flag(const std::string& name) const { return flags.count(name) > 0; }
};

/// Parses `args` (the words after the command name).
Result<ParsedArgs, std::string> ParseArgs(const std::vector<std::string>& args,
                                          const std::vector<OptionSpec>& options);

/// A subcommand of the ccmigrate executable.
struct Command {
  std::string_view name;
  std::string_view summary;  ///< one line for `ccmigrate --help`
  std::string_view help;     ///< full text for `ccmigrate NAME --help`
  int (*run)(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
};

}  // namespace ccm::cli
