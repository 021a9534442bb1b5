/**
 * `stc exec`: runs a command with a role's (or the MFA session's) credentials in its environment, and ends with
 * its exit status. It changes no shell, so it works without the shell functions, in any shell and in cron.
 *
 * @module
 */

import { type Command, type Context, defineCommand } from "../cli/command.ts";
import { ensureBaseSession } from "../agent/ensure.ts";
import { ExitStatus, StcError, usageError } from "../core/errors.ts";
import { parseDuration, ROLE_LIMITS } from "../core/duration.ts";
import type { Credentials } from "../core/credentials.ts";
import { describeRole, obtainRoleCredentials } from "../roles/assume.ts";
import {
  EXEC_VARIABLE,
  execEnvironment,
  type ExecIdentity,
  serverEnvironment,
} from "../session/exec_env.ts";
import { sessionCredentials } from "../session/variables.ts";
import { loadProfiles } from "../config/aws_files.ts";
import { getProfile } from "../config/ini.ts";
import { profileRegion } from "../config/profile.ts";
import { EXEC_SPEC } from "./specs/exec.ts";
import { msg } from "../core/message.ts";

/** Signals passed on to the command: what a terminal, `kill` or a closed session send. */
const FORWARDED: readonly Deno.Signal[] = ["SIGINT", "SIGTERM", "SIGHUP"];
/** Signal numbers, for the 128+N exit status of a command a signal ended. */
const SIGNAL_NUMBERS: Readonly<Record<string, number>> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGABRT: 6,
  SIGKILL: 9,
  SIGSEGV: 11,
  SIGPIPE: 13,
  SIGALRM: 14,
  SIGTERM: 15,
};
/** The exit status of a command that could not be found, as in shells. */
export const NOT_FOUND_STATUS = 127;

async function credentialsFor(
  context: Context,
  alias: string | undefined,
  profile: string | undefined,
  duration: string | undefined,
): Promise<{ credentials: Credentials; identity: ExecIdentity }> {
  const durationSeconds = duration === undefined
    ? undefined
    : parseDuration(duration, "--duration", ROLE_LIMITS);
  if (alias === undefined) {
    if (durationSeconds !== undefined) {
      throw usageError("--duration is for a role", "give a role alias, or leave --duration out");
    }
    const { session } = await ensureBaseSession(context, profile);
    return {
      credentials: sessionCredentials(session),
      identity: {
        region: session.region,
        label: session.profile,
        variables: { AWS_USER: session.userArn, AWS_USERNAME: session.userName },
      },
    };
  }
  // More than an hour takes the long-term key and a new MFA code: no base session is needed for that.
  const env = durationSeconds !== undefined && durationSeconds > 3600
    ? context.env
    : (await ensureBaseSession(context, profile)).env;
  const result = await obtainRoleCredentials(
    { ...context, env },
    {
      role: alias,
      ...(profile ? { profile } : {}),
      ...(durationSeconds ? { durationSeconds } : {}),
    },
  );
  const { role } = result;
  const files = (await loadProfiles(env)).files;
  return {
    credentials: result.credentials,
    identity: {
      region: profileRegion(env, getProfile(files, result.profile)),
      label: role.alias,
      variables: {
        AWS_ROLE_ALIAS: role.alias,
        AWS_ACCOUNT_ID: role.accountId,
        AWS_ACCOUNT_NAME: role.accountName,
        AWS_ACCOUNT_ROLE: role.roleName,
        AWS_USER: result.base?.userArn,
        AWS_USERNAME: result.base?.userName,
      },
    },
  };
}

/** Runs the command and waits for it, passing signals on; its exit status (128+N for signal N). */
async function run(argv: readonly string[], env: Record<string, string>): Promise<number> {
  const [program, ...args] = argv;
  // Listening before the command starts: a signal in between is passed on once it runs.
  let child: Deno.ChildProcess | undefined;
  const pending: Deno.Signal[] = [];
  const pass = (signal: Deno.Signal) => {
    try {
      child!.kill(signal);
    } catch {
      // It has ended already.
    }
  };
  const forward = FORWARDED.map((signal) => {
    const handler = () => child ? pass(signal) : pending.push(signal);
    Deno.addSignalListener(signal, handler);
    return [signal, handler] as const;
  });
  try {
    try {
      child = new Deno.Command(program, {
        args,
        env,
        clearEnv: true,
        stdin: "inherit",
        stdout: "inherit",
        stderr: "inherit",
      }).spawn();
    } catch (error) {
      if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.PermissionDenied) {
        throw new StcError(
          msg`cannot run '${program.slice(0, 80)}': ${
            error instanceof Deno.errors.NotFound ? "command not found" : "permission denied"
          }`,
          { hint: "give the command after '--': stc exec ALIAS -- COMMAND [ARGS…]" },
        );
      }
      throw error;
    }
    pending.forEach(pass);
    const status = await child.status;
    if (status.signal) return 128 + (SIGNAL_NUMBERS[status.signal] ?? 0);
    return status.code;
  } finally {
    for (const [signal, handler] of forward) Deno.removeSignalListener(signal, handler);
  }
}

/** The command with a credential server for the role: it gets the endpoint, not credentials. */
async function runWithServer(
  context: Context,
  alias: string,
  profile: string | undefined,
  command: readonly string[],
): Promise<number> {
  // An unknown alias fails before an MFA code is asked for.
  const described = await describeRole(context.env, {
    role: alias,
    ...(profile ? { profile } : {}),
  });
  const { startCredentialServer } = await import("../server/server.ts");
  const server = await startCredentialServer(context, {
    alias,
    ...(profile !== undefined ? { profile } : {}),
  });
  try {
    const { role } = described;
    const identity: ExecIdentity = {
      region: described.region,
      label: role.alias,
      variables: {
        AWS_ROLE_ALIAS: role.alias,
        AWS_ACCOUNT_ID: role.accountId,
        AWS_ACCOUNT_NAME: role.accountName,
        AWS_ACCOUNT_ROLE: role.roleName,
      },
    };
    return await run(command, serverEnvironment(context.env, server.endpoint, identity));
  } finally {
    await server.close();
  }
}

/** `stc exec`. */
export const execCommand: Command = defineCommand(EXEC_SPEC, async (context, input) => {
  const nested = context.env[EXEC_VARIABLE];
  if (nested) {
    throw usageError(
      msg`already inside 'stc exec' (as ${nested.slice(0, 80)}): credentials do not nest`,
      "exit that shell first, then run 'stc exec' again",
    );
  }
  const command = input.args.command.length > 0
    ? input.args.command
    : [context.env.SHELL || "/bin/sh"];
  if (input.options.server) {
    if (input.args.alias === undefined) {
      throw usageError(
        "--server serves a role",
        "give its alias: stc exec --server ALIAS -- COMMAND",
      );
    }
    if (input.options.duration !== undefined) {
      throw usageError(
        "--server and --duration do not go together",
        "the server renews the role hourly from the MFA session; leave --duration out",
      );
    }
    const status = await runWithServer(context, input.args.alias, input.options.profile, command);
    if (status !== 0) throw new ExitStatus(status);
    return [];
  }
  const { credentials, identity } = await credentialsFor(
    context,
    input.args.alias,
    input.options.profile,
    input.options.duration,
  );
  const status = await run(command, execEnvironment(context.env, credentials, identity));
  // Nothing is emitted: stdout belonged to the command, whose status becomes stc's.
  if (status !== 0) throw new ExitStatus(status);
  return [];
});
