/**
 * `stc assume`: switch the shell to a role's credentials (session-tool.sh's `assume_role`, Coinbase's
 * `assume-role`).
 *
 * @module
 */

import { type Command, type Context, defineCommand, toolPath } from "../cli/command.ts";
import { ExitCode, StcError, usageError, withContext } from "../core/errors.ts";
import type { ShellAction } from "../shell/emitter.ts";
import type { LoadedProfiles } from "../config/aws_files.ts";
import type { Choice } from "../term/picker.ts";
import { checkMfaCode, isMfaCode } from "../session/mfa.ts";
import { guardSecretOutput } from "../cli/output.ts";
import { obtainRoleCredentials, roleChoices, type RoleRequest } from "../roles/assume.ts";
import { parseDuration, ROLE_LIMITS } from "../core/duration.ts";
import { baseSessionAction, roleActions } from "../session/variables.ts";
import { isRegionName } from "../console/url.ts";
import { formatDuration, formatLocalTime, secondsLeft } from "../core/time.ts";
import { shareSession } from "../agent/share.ts";
import { ASSUME_SPEC } from "./specs/assume.ts";
import { msg } from "../core/message.ts";

/**
 * Turns the positional forms into a request: `[alias]`, `alias MFA`, `account role [MFA [region]]` (Coinbase's
 * assume-role, where an empty MFA argument means none).
 */
export function roleRequestFromArgs(
  positionals: readonly string[],
  values: {
    readonly mfa?: string;
    readonly duration?: string;
    readonly profile?: string;
    readonly region?: string;
  },
): RoleRequest {
  const [first, second, third, fourth] = positionals;
  const request: RoleRequest = {};
  let mfa = values.mfa;
  const setMfa = (code: string) => {
    if (mfa !== undefined) throw usageError("the MFA code is given twice");
    mfa = code;
  };
  if (first !== undefined) request.role = first;
  if (second !== undefined) {
    // A six-digit second argument is an MFA code: no role name is six digits.
    if (third === undefined && isMfaCode(second)) setMfa(second);
    else request.roleName = second;
  }
  if (third !== undefined && third !== "") setMfa(third);
  let region = values.region;
  if (fourth !== undefined && fourth !== "") {
    if (region !== undefined) throw usageError("the region is given twice");
    region = fourth;
  }
  if (region !== undefined) {
    if (!isRegionName(region)) {
      throw usageError(
        msg`'${region.slice(0, 30)}' is not a region name`,
        "e.g. eu-west-1, us-east-1",
      );
    }
    request.region = region;
  }
  if (mfa !== undefined) request.mfaCode = checkMfaCode(mfa);
  if (values.duration !== undefined) {
    request.durationSeconds = parseDuration(values.duration, "--duration", ROLE_LIMITS);
  }
  if (values.profile !== undefined) request.profile = values.profile;
  return request;
}

/**
 * The alias a person picks at the terminal, when none was given and the shell has no role to renew (without a
 * terminal, the assume fails with "no role given" as before).
 */
export async function chooseRole(
  context: Context,
  request: RoleRequest,
  loaded?: LoadedProfiles,
  extra: readonly Choice[] = [],
): Promise<string> {
  const choices = [...extra, ...await roleChoices(context.env, request, loaded)];
  if (choices.length === 0) {
    throw new StcError("no role given, and no roles are defined to choose from", {
      hint:
        "get the organisation's list with 'stc roles --download', or add 'alias role_arn' lines to " +
        "the roles file",
    });
  }
  return await context.term.choose("Role:", choices);
}

/**
 * `stc assume --renew`: the shell's current role again, from the session the shell holds, for the prompt hook of
 * `stc init --auto-renew`. Nothing is printed when it works; an error says that the renewal failed.
 */
async function renewRole(context: Context, request: RoleRequest): Promise<ShellAction[]> {
  const alias = context.env.AWS_ROLE_ALIAS;
  if (
    request.role !== undefined || request.mfaCode !== undefined ||
    request.durationSeconds !== undefined
  ) {
    throw usageError(
      "--renew takes no alias, MFA code or duration",
      "it renews the shell's current role (AWS_ROLE_ALIAS) from its MFA session",
    );
  }
  if (!alias) {
    throw new StcError("no role to renew: this shell has not assumed one", {
      hint: "assume one with 'stc assume ALIAS'",
    });
  }
  try {
    // The profile the role came from, which may not be the MFA session's.
    const profile = request.profile ?? context.env.AWS_PROFILE;
    const result = await obtainRoleCredentials(context, {
      ...request,
      ...(profile ? { profile } : {}),
      renew: true,
    });
    return roleActions(
      result.owner,
      result.role,
      result.credentials,
      toolPath(context),
      context.now(),
    );
  } catch (error) {
    const shown = alias.slice(0, 80);
    const context = msg`could not renew role '${shown}'`;
    // What to run is the same whichever way the session is gone; the role is then assumed again by hand.
    throw error instanceof StcError && error.exitCode === ExitCode.SessionExpired
      ? withContext(
        new StcError(error.text, { exitCode: error.exitCode, cause: error }),
        context,
        msg`get a new MFA session with 'stc session' (or restore one with 'stc session -r'), then 'stc assume ${shown}'`,
      )
      : withContext(error, context);
  }
}

/** `stc assume`. */
export const assumeCommand: Command = defineCommand(
  ASSUME_SPEC,
  async (context, input) => {
    const request = roleRequestFromArgs(input.positionals, input.options);
    guardSecretOutput(context);
    if (input.options.renew) return await renewRole(context, request);
    if (request.role === undefined && !context.env.AWS_ROLE_ALIAS && context.term.stdinIsTerminal) {
      request.role = await chooseRole(context, request);
    }
    const result = await obtainRoleCredentials(context, { ...request, startBaseSession: true });
    const { role, credentials } = result;
    if (credentials.expiration) {
      context.term.info(
        msg`assumed ${role.roleName} in ${role.accountName} (${role.accountId}) until ${
          formatLocalTime(credentials.expiration)
        } (${formatDuration(secondsLeft(credentials.expiration, context.now()))})`,
      );
    }
    const actions = roleActions(
      result.newBase ?? result.owner,
      role,
      credentials,
      toolPath(context),
      context.now(),
    );
    if (request.region) {
      // As Coinbase's assume-role: the shell works in the region asked for.
      actions.push(
        { kind: "export", name: "AWS_REGION", value: request.region },
        { kind: "export", name: "AWS_DEFAULT_REGION", value: request.region },
      );
    }
    if (result.newBase) {
      actions.push(baseSessionAction(result.newBase));
      // As `stc session` does: the other shells and programs get the new session from the agent.
      await shareSession(context.env, context.self, context.term, result.newBase);
    }
    return actions;
  },
);
