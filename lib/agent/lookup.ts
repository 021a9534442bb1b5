/**
 * The base session for the commands that use one: the shell's variable first, then the session agent. A
 * session found in the agent is handed to the command the way the shell function hands the variable over, so
 * everything downstream reads one place (`STC_BASE_SESSION` in the command's environment snapshot).
 *
 * @module
 */

import type { Env } from "../core/env.ts";
import { readBaseSession } from "../session/variables.ts";
import { BASE_SESSION_VARIABLE } from "../session/variable_names.ts";
import { agentDisabled } from "./socket_path.ts";

/**
 * `env` with the agent's base session of `profile` (or the one handed to it last) when the shell's variable holds
 * none that is unexpired (or one of another profile than `profile`); `env` itself otherwise, and when the agent
 * is off or not running.
 */
export async function withAgentSession(
  env: Env,
  profile: string | undefined,
  now: Date,
): Promise<Env> {
  const shell = readBaseSession(env);
  if (
    shell && Date.parse(shell.expiration) > now.getTime() &&
    (profile === undefined || shell.profile === profile)
  ) return env;
  if (agentDisabled(env)) return env;
  // Loaded past the checks above: with the agent off, a command pays nothing for it.
  const [{ loadProfiles }, { agentSession }] = await Promise.all([
    import("../config/aws_files.ts"),
    import("./client.ts"),
  ]);
  const { files } = await loadProfiles(env);
  if (agentDisabled(env, files)) return env;
  const session = await agentSession(env, profile, now);
  return session ? { ...env, [BASE_SESSION_VARIABLE]: JSON.stringify(session) } : env;
}
