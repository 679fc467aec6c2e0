// fix.h — the Q194218 fix (docs/file-format.md#users-and-the-missing-mailmessage-sections): every
// user to be migrated gets a MAILMESSAGE section, even an empty one.
//
// PlanFix is pure: from a scan it lists the users of U without a MAILMESSAGE section and
// decides, per user, where the synthesised section goes — appended to a copy of the primary
// file holding the user's PAB section (one blank line, the header, the 12-column header), or
// into one new primary file per set (CCMFIX01.PRI, or the next free CCMFIXnn.PRI), which is
// listed in the packing list after every primary with a DIRECTORY section (appended at the end
// of the list). Owners are written as spelt in their source record, quoted as needed. The reason
// recorded per user is "DB8: no mail" when the set carries mail for other users, "mail not
// selected" when it carries none or the user comes only from the accounts file.
//
// WriteFixedSet writes the corrected set into an output directory: unchanged listed files are
// byte-identical copies (copies, not hard links, so the output can never alias the input), a
// changed primary is its original bytes plus the appended text, the packing list is its
// original bytes plus the new entry, written last. Every write is atomic (ccm/atomic_file.h).
// Unlisted files (e.g. Ccmail.password) are never copied.
//
// Thread safety: functions over values.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ccm/result.h"
#include "parser/byte_source.h"
#include "parser/file_set.h"

namespace ccm::parser {

/// One synthesised section.
struct SynthesisedSection {
  std::string address;  ///< owner as written (code page bytes)
  std::string file;     ///< the primary file it goes into
  bool in_new_file = false;
  std::string reason;  ///< "DB8: no mail" / "mail not selected" / "unknown"
};

/// What the fix will write.
struct FixPlan {
  std::vector<SynthesisedSection> sections;
  std::string new_file;       ///< name of the new primary file; empty when none is needed
  std::string new_file_text;  ///< its complete bytes
  std::map<std::string, std::string> appended;  ///< listed primary name -> bytes appended
  std::string pkl_suffix;                       ///< bytes appended to the packing list
  bool empty() const { return sections.empty(); }
};

/// Pure planning of the fix.
FixPlan PlanFix(const FileSetScan& scan);

/// Summary of a written set.
struct FixOutcome {
  std::size_t copied = 0;    ///< files copied unchanged
  std::size_t extended = 0;  ///< primaries copied with appended sections
  std::size_t created = 0;   ///< new primary files
};

/// Writes the corrected set into the directory `out_dir_fd` (which should be empty).
Result<FixOutcome, std::string> WriteFixedSet(const SetDirectory& input, const FileSetScan& scan,
                                              const std::string& pkl_name, const FixPlan& plan,
                                              int out_dir_fd);

}  // namespace ccm::parser
