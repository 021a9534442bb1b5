/**
 * Where the session agent listens: `STC_AGENT_SOCKET`, else `stc/agent.sock` under `$XDG_RUNTIME_DIR` (a
 * per-user directory the system makes 0700), else `stc-UID/agent.sock` under the temp directory. Whether the
 * agent is on at all: `STC_AGENT=off` or `stc_agent = off` in `[default]` of ~/.aws/config turn it off.
 *
 * @example
 * ```ts
 * import { agentSocketPath } from "./socket_path.ts";
 * console.assert(agentSocketPath({ XDG_RUNTIME_DIR: "/run/user/1000" }, 1000) === "/run/user/1000/stc/agent.sock");
 * console.assert(agentSocketPath({ TMPDIR: "/var/tmp" }, 1000) === "/var/tmp/stc-1000/agent.sock");
 * ```
 *
 * @module
 */

import type { Env } from "../core/env.ts";
import { AGENT_KEY } from "../config/keys.ts";
import { getProfile, type ProfileFiles } from "../config/ini.ts";

/** The variable naming the agent's socket, as SSH_AUTH_SOCK names ssh-agent's. */
export const AGENT_SOCKET_VARIABLE = "STC_AGENT_SOCKET";
/** The variable that turns the agent off (`off`). */
export const AGENT_VARIABLE = "STC_AGENT";

/** The path of the agent's socket for a user. */
export function agentSocketPath(env: Env, uid: number): string {
  const given = env[AGENT_SOCKET_VARIABLE];
  if (given) return given;
  const runtime = env.XDG_RUNTIME_DIR;
  if (runtime && runtime.startsWith("/")) return `${runtime.replace(/\/+$/, "")}/stc/agent.sock`;
  const temp = (env.TMPDIR && env.TMPDIR.startsWith("/") ? env.TMPDIR : "/tmp").replace(/\/+$/, "");
  return `${temp}/stc-${uid}/agent.sock`;
}

/** Whether the agent is off: `STC_AGENT=off`, or `stc_agent = off` in `[default]` of the config. */
export function agentDisabled(env: Env, files?: ProfileFiles): boolean {
  const off = (value: string | undefined) =>
    value !== undefined && ["off", "no", "false", "0"].includes(value.trim().toLowerCase());
  if (env[AGENT_VARIABLE] !== undefined && env[AGENT_VARIABLE] !== "") {
    return off(env[AGENT_VARIABLE]);
  }
  return files !== undefined && off(getProfile(files, "default")?.[AGENT_KEY]);
}
