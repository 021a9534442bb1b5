/**
 * The command line of `stc agent`: its options, arguments, help and examples.
 *
 * @module
 */

import type { CommandSpec } from "../../cli/spec.ts";
import { COMMAND_SUMMARIES } from "../overview.ts";

/** The spec of `stc agent`. */
export const AGENT_SPEC = {
  name: "agent",
  summary: COMMAND_SUMMARIES.agent,
  description: `
Runs the session agent in the foreground ('stc session' starts it in the background when needed). It keeps
base MFA sessions and cached role credentials in memory only, on a Unix socket in a directory only you can
enter: $STC_AGENT_SOCKET, else $XDG_RUNTIME_DIR/stc/agent.sock, else TMPDIR/stc-UID/agent.sock. Programs of
your user can reach it, other users cannot. It exits when the last session has expired, and on
'stc session -c --all'. STC_AGENT=off, or stc_agent = off in [default] of ~/.aws/config, turns it off.`,
  args: [],
  options: [
    {
      name: "status",
      type: "boolean",
      description: "List what the running agent holds (profiles, expiry; never secrets)",
    },
  ],
  examples: [
    { command: "stc agent --status", description: "Which sessions the agent holds" },
  ],
} as const satisfies CommandSpec;
