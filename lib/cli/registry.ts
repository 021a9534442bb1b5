/**
 * The list of stc's subcommands, in the order `stc --help` shows them. Command modules load no heavy dependency
 * at import time (AWS and crypto libraries are imported where used), so this list is cheap to load.
 *
 * @module
 */

import type { Command } from "./command.ts";
import { assumeCommand } from "../commands/assume.ts";
import { completeCommand } from "../commands/complete.ts";
import { consoleCommand } from "../commands/console.ts";
import { exportCommand } from "../commands/export.ts";
import { importCommand } from "../commands/import.ts";
import { initCommand } from "../commands/init.ts";
import { rolesCommand } from "../commands/roles.ts";
import { rotateCommand } from "../commands/rotate.ts";
import { sessionCommand } from "../commands/session.ts";
import { statusCommand } from "../commands/status.ts";
import { versionCommand } from "../commands/version.ts";

/** Every subcommand. */
export const COMMANDS: readonly Command[] = [
  sessionCommand,
  statusCommand,
  importCommand,
  exportCommand,
  rolesCommand,
  assumeCommand,
  consoleCommand,
  rotateCommand,
  initCommand,
  completeCommand,
  versionCommand,
];
