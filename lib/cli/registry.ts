/**
 * Where each command's implementation is: loaded on demand, so that a command loads only what it needs and the
 * overview, help and completion load none (they need only the specs).
 *
 * @module
 */

import { type CommandName, SPECS } from "../commands/specs.ts";
import type { Command, CommandLookup } from "./command.ts";
import type { CommandSpec } from "./spec.ts";

// One literal import() per command: `deno compile` embeds what it can see.
const LOADERS: Readonly<Record<CommandName, () => Promise<Command>>> = {
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

/** Every command's spec, in help order. */
export const COMMANDS: readonly CommandSpec[] = Object.values(SPECS);

/** Whether `name` is a command of stc. */
export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(LOADERS, name);
}

/** The commands, listed from their specs and loaded one at a time. */
export const COMMAND_LOOKUP: CommandLookup = {
  specs: COMMANDS,
  load: (name) => isCommandName(name) ? LOADERS[name]() : Promise.resolve(undefined),
};
