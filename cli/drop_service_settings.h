// drop_service_settings.h — maps the configuration's [drop] table onto the drop-directory
// service's DropSettings, so that daemon/ never sees the configuration file's model.
//
// Thread safety: a pure function.
#pragma once

#include "cli/config.h"
#include "daemon/drop_settings.h"

namespace ccm::cli {

/// The [drop] table as DropSettings (values already range-checked by the config reader).
daemon::DropSettings DropSettingsFromConfig(const DropConfig& drop);

}  // namespace ccm::cli
