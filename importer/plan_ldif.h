// plan_ldif.h — a DirectoryPlan as LDIF that ldapmodify accepts: the output of `ccmigrate plan`.
//
// One change record per planned write, in plan order: `changetype: modify` for convert/deliver
// with the RFC 4528 assertion as a `control: 1.3.6.1.1.12 true:: <BER, base64>` line (so that
// `ldapmodify -f` applies exactly what `import` applies, guard included), and `changetype: add`
// for create. Every user gets '#' comment lines (address, decision, reason, store, warnings,
// notes) before its record, or alone when nothing is written; a summary in '#' lines ends the
// output.
// Records are written by the ldap layer's LDIF writer (base64 for unsafe values); comment text
// has control characters replaced, so export data can never break out of a comment.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "ccm/result.h"
#include "importer/directory_change.h"
#include "importer/directory_plan.h"

namespace ccm::importer {

/// The whole plan as LDIF (see the file comment). Fails only when an assertion filter cannot
/// be encoded (a programming error, named in the message).
Result<std::string, std::string> RenderPlanLdif(const DirectoryPlan& plan);

/// One change as an LDIF change record, ending with its empty line.
Result<std::string, std::string> RenderChangeLdif(const DirectoryChange& change);

/// Text made safe for one '#' comment line (control characters → '?').
std::string CommentText(std::string_view text);

}  // namespace ccm::importer
