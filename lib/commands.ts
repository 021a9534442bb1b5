/**
 * The list of stc's subcommands, in the order `stc --help` shows them. Command modules load no heavy dependency
 * at import time (AWS and crypto libraries are imported where used), so this list is cheap to load.
 *
 * @module
 */

import type { Command } from "./command.ts";
import { versionCommand } from "./commands/version.ts";

/** Every subcommand. */
export const COMMANDS: readonly Command[] = [
  versionCommand,
];
