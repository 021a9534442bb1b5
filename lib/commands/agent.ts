/**
 * `stc agent`: runs the session agent in the foreground (`stc session` starts it in the background), or lists
 * what the running one holds (`--status`).
 *
 * @module
 */

import { type Command, defineCommand } from "../cli/command.ts";
import { humanLine } from "../cli/output.ts";
import { writeStdout } from "../cli/stdout.ts";
import { agentStatus, socketPath } from "../agent/client.ts";
import { serveAgent } from "../agent/server.ts";
import { formatDuration, formatLocalTime, secondsLeft } from "../core/time.ts";
import type { ShellAction } from "../shell/emitter.ts";
import { AGENT_SPEC } from "./specs/agent.ts";
import { msg } from "../core/message.ts";

/** `stc agent`. */
export const agentCommand: Command = defineCommand(AGENT_SPEC, async (context, input) => {
  const path = socketPath(context.env);
  if (input.options.status) {
    const status = await agentStatus(context.env);
    if (!status) {
      context.term.info(msg`no agent is running (socket ${path})`);
      return [];
    }
    context.term.info(msg`agent pid ${status.pid} on ${path}`);
    if (status.sessions.length === 0) context.term.info("it holds no session");
    const now = context.now();
    return status.sessions.map((s): ShellAction =>
      humanLine(
        `${s.profile}  ${s.userArn}  until ${formatLocalTime(new Date(s.expiration))} (${
          formatDuration(secondsLeft(s.expiration, now))
        } left)  ${s.roles} cached role${s.roles === 1 ? "" : "s"}`,
      )
    );
  }
  // The starter (`stc session`) waits for this line on the agent's stdout; nothing else is ever written there.
  const onReady = context.stdoutIsTerminal
    ? () => context.term.info(msg`the session agent listens on ${path} (Ctrl-C stops it)`)
    : () => writeStdout("ready\n");
  await serveAgent(path, { onReady });
  return [];
});
