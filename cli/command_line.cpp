// command_line.cpp — subcommand option parsing (see command_line.h).
#include "cli/command_line.h"

namespace ccm::cli {

Result<ParsedArgs, std::string> ParseArgs(const std::vector<std::string>& args,
                                          const std::vector<OptionSpec>& options) {
  ParsedArgs parsed;
  bool options_done = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& word = args[i];
    if (options_done || word.size() < 2 || word[0] != '-') {
      parsed.positional.push_back(word);
      continue;
    }
    if (word == "--") {
      options_done = true;
      continue;
    }
    if (word == "--help" || word == "-h") {
      parsed.help = true;
      continue;
    }
    if (word.rfind("--", 0) != 0)
      return Fail("unknown option " + word);
    std::string name = word.substr(2);
    std::optional<std::string> inline_value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name.resize(eq);
    }
    const OptionSpec* spec = nullptr;
    for (const auto& option : options) {
      if (option.name == name)
        spec = &option;
    }
    if (spec == nullptr)
      return Fail("unknown option --" + name);
    if (parsed.values.count(name) || parsed.flags.count(name)) {
      return Fail("option --" + name + " given twice");
    }
    if (!spec->takes_value) {
      if (inline_value)
        return Fail("option --" + name + " takes no value");
      parsed.flags.insert(name);
      continue;
    }
    if (!inline_value) {
      if (i + 1 >= args.size())
        return Fail("option --" + name + " needs a value");
      inline_value = args[++i];
    }
    parsed.values[name] = *inline_value;
  }
  return parsed;
}

}  // namespace ccm::cli
