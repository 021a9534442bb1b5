/**
 * `stc serve`: a credential server for one role in the foreground, for programs started elsewhere. The token is
 * a secret, so the variables to set go to a 0600 file (`--env-file`, removed when the server stops) or to stdout
 * when stdout is not a terminal (a pipe or a file the caller made), never to a terminal.
 *
 * @module
 */

import { type Command, defineCommand } from "../cli/command.ts";
import { writeStdout } from "../cli/stdout.ts";
import { usageError } from "../core/errors.ts";
import { msg } from "../core/message.ts";
import { counted } from "../core/plural.ts";
import { removeFile, writeFileAtomic } from "../fs/atomic.ts";
import { describeRole } from "../roles/assume.ts";
import type { CredentialEndpoint } from "../session/exec_env.ts";
import { renderShell, type ShellAction } from "../shell/emitter.ts";
import type { ShellName } from "../shell/shell_name.ts";
import { SERVE_SPEC } from "./specs/serve.ts";

/** Variables that would make an SDK use other credentials than the server's, removed by the shell code. */
const SHADOWING = [
  "AWS_PROFILE",
  "AWS_DEFAULT_PROFILE",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_SECURITY_TOKEN",
  "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
];

/** Shell code that points an SDK at the server. */
export function serverVariables(shell: ShellName, endpoint: CredentialEndpoint): string {
  const actions: ShellAction[] = [
    ...SHADOWING.map((name): ShellAction => ({ kind: "unset", name })),
    { kind: "export", name: "AWS_CONTAINER_CREDENTIALS_FULL_URI", value: endpoint.url },
    { kind: "export", name: "AWS_CONTAINER_AUTHORIZATION_TOKEN", value: endpoint.token },
  ];
  return renderShell(shell, actions);
}

/** Resolves on the first INT or TERM. */
function stopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
    const handler = () => {
      for (const signal of signals) Deno.removeSignalListener(signal, handler);
      resolve();
    };
    for (const signal of signals) Deno.addSignalListener(signal, handler);
  });
}

/** `stc serve`. */
export const serveCommand: Command = defineCommand(SERVE_SPEC, async (context, input) => {
  const envFile = input.options["env-file"];
  if (envFile === undefined && context.stdoutIsTerminal) {
    throw usageError(
      "the server's token is a secret and is not shown on a terminal",
      "write it to a private file with --env-file PATH (then '. PATH' where programs run), " +
        "or read stdout through a pipe",
    );
  }
  const profile = input.options.profile;
  const alias = input.args.alias;
  await describeRole(context.env, { role: alias, ...(profile ? { profile } : {}) });
  // Listening for the signals before the server starts: an INT meanwhile still stops it cleanly.
  const stopped = stopSignal();
  const { startCredentialServer } = await import("../server/server.ts");
  const server = await startCredentialServer(context, {
    alias,
    ...(profile !== undefined ? { profile } : {}),
  });
  try {
    if (envFile !== undefined) {
      await writeFileAtomic(envFile, serverVariables("sh", server.endpoint), { mode: 0o600 });
      context.term.info(msg`${alias}'s credentials are served; in a shell: . ${envFile}`);
    }
    if (!context.stdoutIsTerminal) writeStdout(serverVariables(context.shell, server.endpoint));
    const url = server.endpoint.url;
    context.term.info(msg`serving ${alias} on ${url} (renewed before they expire; Ctrl-C stops)`);
    await stopped;
    const renewals = counted(server.renewal.renewals, "renewal");
    context.term.info(msg`stopped serving ${alias} after ${renewals}`);
  } finally {
    await server.close();
    if (envFile !== undefined) await removeFile(envFile).catch(() => {});
  }
  return [];
});
