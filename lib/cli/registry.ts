/**
 * Where each command is: its summary (for the overview and completion), its spec and its implementation, the
 * last two loaded on demand. A command loads its own spec and what it imports, nothing of the others; help and
 * completion load a spec without the implementation; the overview loads neither.
 *
 * @module
 */

import { COMMAND_NAMES, COMMAND_SUMMARIES, type CommandName } from "../commands/overview.ts";
import type { Command, CommandLookup, CommandSummary } from "./command.ts";
import type { CommandSpec } from "./spec.ts";

// One literal import() per module: `deno compile` embeds what it can see.
const SPEC_LOADERS: Readonly<Record<CommandName, () => Promise<CommandSpec>>> = {
  session: async () => (await import("../commands/specs/session.ts")).SESSION_SPEC,
  status: async () => (await import("../commands/specs/status.ts")).STATUS_SPEC,
  import: async () => (await import("../commands/specs/import.ts")).IMPORT_SPEC,
  export: async () => (await import("../commands/specs/export.ts")).EXPORT_SPEC,
  roles: async () => (await import("../commands/specs/roles.ts")).ROLES_SPEC,
  assume: async () => (await import("../commands/specs/assume.ts")).ASSUME_SPEC,
  console: async () => (await import("../commands/specs/console.ts")).CONSOLE_SPEC,
  exec: async () => (await import("../commands/specs/exec.ts")).EXEC_SPEC,
  "credential-process": async () =>
    (await import("../commands/specs/credential_process.ts")).CREDENTIAL_PROCESS_SPEC,
  serve: async () => (await import("../commands/specs/serve.ts")).SERVE_SPEC,
  agent: async () => (await import("../commands/specs/agent.ts")).AGENT_SPEC,
  rotate: async () => (await import("../commands/specs/rotate.ts")).ROTATE_SPEC,
  init: async () => (await import("../commands/specs/init.ts")).INIT_SPEC,
  complete: async () => (await import("../commands/specs/complete.ts")).COMPLETE_SPEC,
  doctor: async () => (await import("../commands/specs/doctor.ts")).DOCTOR_SPEC,
  version: async () => (await import("../commands/specs/version.ts")).VERSION_SPEC,
};

const COMMAND_LOADERS: Readonly<Record<CommandName, () => Promise<Command>>> = {
  session: async () => (await import("../commands/session.ts")).sessionCommand,
  status: async () => (await import("../commands/status.ts")).statusCommand,
  import: async () => (await import("../commands/import.ts")).importCommand,
  export: async () => (await import("../commands/export.ts")).exportCommand,
  roles: async () => (await import("../commands/roles.ts")).rolesCommand,
  assume: async () => (await import("../commands/assume.ts")).assumeCommand,
  console: async () => (await import("../commands/console.ts")).consoleCommand,
  exec: async () => (await import("../commands/exec.ts")).execCommand,
  "credential-process": async () =>
    (await import("../commands/credential_process.ts")).credentialProcessCommand,
  serve: async () => (await import("../commands/serve.ts")).serveCommand,
  agent: async () => (await import("../commands/agent.ts")).agentCommand,
  rotate: async () => (await import("../commands/rotate.ts")).rotateCommand,
  init: async () => (await import("../commands/init.ts")).initCommand,
  complete: async () => (await import("../commands/complete.ts")).completeCommand,
  doctor: async () => (await import("../commands/doctor.ts")).doctorCommand,
  version: async () => (await import("../commands/version.ts")).versionCommand,
};

/** Every command's name and summary, in help order. */
export const COMMANDS: readonly CommandSummary[] = COMMAND_NAMES.map((name) => ({
  name,
  summary: COMMAND_SUMMARIES[name],
}));

/** Whether `name` is a command of stc. */
export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(COMMAND_SUMMARIES, name);
}

/** Every command's spec, in help order (for checks over all of them; loads every spec). */
export function loadAllSpecs(): Promise<CommandSpec[]> {
  return Promise.all(COMMAND_NAMES.map((name) => SPEC_LOADERS[name]()));
}

/** The commands: listed by name and summary, their specs and implementations loaded one at a time. */
export const COMMAND_LOOKUP: CommandLookup = {
  commands: COMMANDS,
  spec: (name) => isCommandName(name) ? SPEC_LOADERS[name]() : Promise.resolve(undefined),
  load: (name) => isCommandName(name) ? COMMAND_LOADERS[name]() : Promise.resolve(undefined),
};
