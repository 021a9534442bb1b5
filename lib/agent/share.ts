/**
 * What `stc session` does with the agent: hands it each new or restored session (starting it when needed), and
 * makes it forget everything on `stc session -c --all`.
 *
 * @module
 */

import type { Env } from "../core/env.ts";
import { StcError } from "../core/errors.ts";
import { loadProfiles } from "../config/aws_files.ts";
import type { SessionRecord } from "../session/variables.ts";
import type { Notices } from "../term/term.ts";
import { handSessionToAgent, stopAgent } from "./client.ts";
import { agentDisabled } from "./socket_path.ts";
import { msg } from "../core/message.ts";

async function disabled(env: Env): Promise<boolean> {
  return agentDisabled(env) || agentDisabled(env, (await loadProfiles(env)).files);
}

/**
 * Hands `session` to the agent (started in the background when not running), unless the agent is off. A failure
 * is a warning: the session is in the shell already, and the MFA code is spent.
 */
export async function shareSession(
  env: Env,
  self: readonly string[],
  notices: Notices,
  session: SessionRecord,
): Promise<void> {
  if (await disabled(env)) return;
  try {
    await handSessionToAgent(env, self, session);
    notices.info("the session agent holds it for your other shells and programs");
  } catch (error) {
    const reason = error instanceof StcError ? error.message : "it did not answer";
    notices.warn(msg`the session agent does not have the session: ${reason}`);
  }
}

/**
 * Makes a running agent forget everything and exit, and says so. A failure to reach it is a warning: clearing the
 * shell goes on.
 */
export async function forgetAll(env: Env, notices: Notices): Promise<void> {
  if (agentDisabled(env)) return;
  try {
    notices.info(
      await stopAgent(env)
        ? "the session agent forgot every session and stopped"
        : "no session agent was running",
    );
  } catch (error) {
    const reason = error instanceof StcError ? error.message : "it did not answer";
    notices.warn(msg`the session agent was not stopped: ${reason}`);
  }
}
