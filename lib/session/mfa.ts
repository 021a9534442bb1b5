/**
 * MFA: which device to use for a profile, and the one-time code.
 *
 * @module
 */

import { type AwsTarget, getCallerIdentity, listMfaDevices } from "../aws/client.ts";
import { iamUserName } from "../core/arn.ts";
import { type ProfileUpdates, updateProfiles } from "../config/aws_files.ts";
import type { Env } from "../core/env.ts";
import { StcError, usageError } from "../core/errors.ts";
import type { Profile } from "../config/ini.ts";
import type { Term } from "../term/term.ts";
import { MFA_PROCESS_KEY } from "../config/keys.ts";
import { type MfaProcess, mfaProcessFrom, runMfaProcess } from "./mfa_process.ts";
import { fieldProblem, type FieldRule } from "../core/credentials.ts";
import { msg, own } from "../core/message.ts";

const CODE = /^\d{6}$/;

/** IAM's rule for an MFA serial number: an ARN, or a hardware device's serial. */
const MFA_SERIAL: FieldRule = { char: /^[\w+=/:,.@-]$/, min: 9, max: 256 };

/** Whether `code` looks like a TOTP code (six digits). */
export function isMfaCode(code: string): boolean {
  return CODE.test(code);
}

/**
 * Checks an MFA code given as an argument. The value is not echoed in the error: it may be something else typed
 * in the wrong place.
 */
export function checkMfaCode(code: string): string {
  if (!isMfaCode(code)) {
    throw usageError(
      "the MFA code must be six digits",
      "use the current code from your MFA device",
    );
  }
  return code;
}

/** The MFA program of a profile (`STC_MFA_PROCESS`, else its `mfa_process`), if any. */
export function mfaProcessFor(env: Env, profile: Profile | undefined): MfaProcess | undefined {
  return mfaProcessFrom(env, profile?.[MFA_PROCESS_KEY]);
}

/** The MFA code: the one given, else the MFA program's, else asked for on the terminal. */
export async function obtainMfaCode(
  term: Term,
  given: string | undefined,
  serial: string,
  program?: MfaProcess,
): Promise<string> {
  if (given !== undefined) return checkMfaCode(given);
  if (program) return await runMfaProcess(program);
  for (let attempt = 0; attempt < 3; attempt++) {
    const code = (await term.prompt(msg`MFA code for ${serial}:`)).trim();
    if (isMfaCode(code)) return code;
    term.say("The code must be six digits.");
  }
  throw new StcError("no valid MFA code entered");
}

/** The MFA device of a profile and whether it was looked up (and should be saved). */
export interface MfaDevice {
  /** Serial number (ARN) of the device. */
  serial: string;
  /** True when it came from ListMFADevices rather than the profile's `mfa_serial`. */
  discovered: boolean;
}

/**
 * The MFA device for a profile: `mfa_serial` from the profile, else the user's device from ListMFADevices (one:
 * use it; several: ask which; none: fail with a hint). ListMFADevices is asked for the user named in the caller's
 * ARN (`callerArn`, looked up with GetCallerIdentity when not given): some IAM set-ups and emulators answer a
 * request without `UserName` with "The user with name None cannot be found".
 */
export async function resolveMfaDevice(
  term: Term,
  profile: Profile,
  profileName: string,
  target: AwsTarget,
  callerArn?: string,
): Promise<MfaDevice> {
  if (profile.mfa_serial) {
    const problem = fieldProblem("the serial", profile.mfa_serial, MFA_SERIAL);
    if (problem !== undefined) {
      throw new StcError(
        msg`mfa_serial of profile '${profileName}' is not usable: ${own(problem)}`,
        {
          hint: "set it to the device's ARN (arn:aws:iam::ACCOUNT:mfa/NAME) in ~/.aws/config",
        },
      );
    }
    return { serial: profile.mfa_serial, discovered: false };
  }
  const arn = callerArn ?? (await getCallerIdentity(target)).arn;
  const serials = await listMfaDevices(target, iamUserName(arn));
  for (const serial of serials) {
    const problem = fieldProblem("a device serial", serial, MFA_SERIAL);
    if (problem !== undefined) {
      throw new StcError(
        msg`ListMFADevices answered with a serial stc cannot use: ${own(problem)}`,
        {
          hint: msg`set mfa_serial in profile '${profileName}' of ~/.aws/config`,
        },
      );
    }
  }
  if (serials.length === 0) {
    throw new StcError(msg`the IAM user of profile '${profileName}' has no MFA device`, {
      hint: "assign a virtual MFA device in the IAM console, or set mfa_serial in the profile",
    });
  }
  if (serials.length === 1) return { serial: serials[0], discovered: true };
  term.say(msg`The IAM user of profile '${profileName}' has ${serials.length} MFA devices:`);
  serials.forEach((serial, i) => term.say(msg`  ${i + 1}) ${serial}`));
  for (let attempt = 0; attempt < 3; attempt++) {
    const answer = (await term.prompt(msg`Which one (1-${serials.length})?`)).trim();
    const index = Number(answer);
    if (Number.isInteger(index) && index >= 1 && index <= serials.length) {
      term.info(
        msg`using ${serials[index - 1]}; it is saved as mfa_serial of profile '${profileName}'`,
      );
      return { serial: serials[index - 1], discovered: true };
    }
  }
  throw new StcError("no MFA device chosen", {
    hint: msg`set one with: mfa_serial = ARN in profile '${profileName}' of ~/.aws/config`,
  });
}

/** The config change that records a device found through ListMFADevices as the profile's `mfa_serial`. */
export function mfaSerialUpdate(device: MfaDevice, profileName: string): ProfileUpdates {
  return device.discovered ? { [profileName]: { mfa_serial: device.serial } } : {};
}

/**
 * Saves a device found through ListMFADevices as the profile's `mfa_serial`, so the next command needs no IAM
 * call. Commands call it only after the MFA code worked, so a failed command changes no file.
 */
export async function rememberMfaDevice(
  term: Term,
  device: MfaDevice,
  profileName: string,
  env: Env,
): Promise<void> {
  if (await updateProfiles("config", mfaSerialUpdate(device, profileName), env)) {
    term.info(msg`saved mfa_serial = ${device.serial} in profile '${profileName}'`);
  }
}
