/**
 * `stc import`: stores an IAM user's access key in a profile of ~/.aws/credentials, from the console's CSV file, a
 * `KEYID,SECRET` pair, or stdin (which also takes the line `stc export` prints). session-tool.sh's `get_session -i`.
 *
 * @module
 */

import { type Command, type Context, profileOption } from "../cli/command.ts";
import { mergeProfileUpdates, updateProfile, updateProfiles } from "../config/aws_files.ts";
import { StcError, usageError } from "../core/errors.ts";
import { getProfile } from "../config/ini.ts";
import { type AccessKeyPair, chooseKey, type KeyInput, parseKeyInput } from "../keys/csv.ts";
import { BUCKET_KEY, DEFAULT_PROFILE_KEY, IMPORT_PROFILE } from "../config/profile.ts";
import { downloadRoles } from "../roles/download.ts";
import { loadProfiles } from "../roles/load.ts";
import type { ShellAction } from "../shell/emitter.ts";
import { info, readAllStdin, warn } from "../term/ui.ts";

const PAIR_ARGUMENT = /^AKIA[A-Z0-9]{16},/;

/** The text of a key file, or undefined when there is no such file. */
async function readKeyFile(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    // The argument is only named when it cannot be a mistyped secret.
    throw new StcError(`cannot read the file${shownPath(path)}: ${(error as Error).name}`, {
      cause: error,
    });
  }
}

/** ` 'path'` for messages, or nothing when the argument might hold a secret. */
function shownPath(path: string): string {
  return /^[\w./~ -]{1,200}$/.test(path) && !/[A-Za-z0-9/+]{40}/.test(path) ? ` '${path}'` : "";
}

/**
 * Reads the key source: `-` is stdin, a `KEYID,SECRET` pair is taken as it is, anything else is a file. An
 * argument with a comma that names no file is a pair too (perhaps mistyped): its secret is already in the shell
 * history and in ps, so the user is warned either way.
 */
async function readSource(source: string): Promise<KeyInput> {
  if (source === "-") return await parseKeyInput(await readAllStdin());
  if (!PAIR_ARGUMENT.test(source)) {
    const text = await readKeyFile(source);
    if (text !== undefined) return await parseKeyInput(text);
    if (!source.includes(",")) {
      throw usageError(
        `file${shownPath(source)} not found`,
        "give the console's .csv file, KEYID,SECRET, or - to read the key from stdin",
      );
    }
  }
  warn(
    "a secret on the command line stays in the shell history and is visible in ps; " +
      "next time use 'stc import -' and paste KEYID,SECRET (then consider 'stc rotate')",
  );
  return await parseKeyInput(source);
}

function option(value: string | boolean | undefined): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** Writes the key (and bucket, and default profile) to the AWS files. */
async function store(
  context: Context,
  profile: string,
  key: AccessKeyPair,
  bucket: string | undefined,
  makeDefault: boolean,
): Promise<void> {
  const { files } = await loadProfiles(context.env);
  await updateProfile("credentials", profile, {
    aws_access_key_id: key.accessKeyId,
    aws_secret_access_key: key.secretAccessKey,
    // Left-over temporary credentials would pair a session token with the new long-term key.
    aws_session_token: null,
    aws_security_token: null,
  }, context.env);
  info(`imported ${key.accessKeyId} into profile '${profile}'`);
  const currentDefault = getProfile(files, "default")?.[DEFAULT_PROFILE_KEY];
  const setDefault = (makeDefault || !currentDefault) && currentDefault !== profile;
  // The bucket and the default profile land in one write of the config file.
  await updateProfiles(
    "config",
    mergeProfileUpdates(
      bucket ? { [profile]: { [BUCKET_KEY]: bucket } } : {},
      setDefault ? { default: { [DEFAULT_PROFILE_KEY]: profile } } : {},
    ),
    context.env,
  );
  if (bucket) info(`roles bucket of '${profile}': ${bucket}`);
  if (makeDefault || !currentDefault) {
    info(`'${profile}' is the default profile (${DEFAULT_PROFILE_KEY})`);
  } else if (currentDefault !== profile) {
    info(`the default profile stays '${currentDefault}' (use --default to change it)`);
  }
}

/** `stc import`. */
export const importCommand: Command = {
  name: "import",
  summary: "Store an access key (console CSV file, KEYID,SECRET or stdin) in a profile",
  description: `
Stores the key in ~/.aws/credentials (profile 'awsops' unless -p is given). The source is the .csv file the AWS
console offers when a key is created (both layouts), KEYID,SECRET, or - to read either from stdin, which keeps the
secret out of the shell history and ps. stdin also takes the line 'stc export' prints on another host, whose -p, -b
and -d apply unless given here. The first imported profile becomes the default profile.`,
  args: [{
    name: "source",
    description: "The console's .csv file, KEYID,SECRET, or - for stdin",
    complete: "csv",
  }],
  options: [
    profileOption(`Profile to store the key in (default: ${IMPORT_PROFILE})`),
    {
      name: "bucket",
      short: "b",
      type: "string",
      valueName: "BUCKET",
      description: "S3 bucket with the organisation's roles file",
    },
    {
      name: "download",
      short: "d",
      type: "boolean",
      description: "Download the roles file from the bucket after the import",
    },
    { name: "default", type: "boolean", description: "Make the profile the default profile" },
    {
      name: "key-id",
      type: "string",
      valueName: "KEYID",
      description: "Which key to import when the CSV file holds several",
    },
  ],
  examples: [
    {
      command: "stc import ~/Downloads/alice_accessKeys.csv",
      description: "Import the console's file",
    },
    {
      command: "stc import -p work -",
      description: "Paste KEYID,SECRET (or an export line) on stdin",
    },
    {
      command: "stc import -b my-roles-bucket -d alice_accessKeys.csv",
      description: "Import, set the roles bucket and download the roles file",
    },
  ],
  async run(context, args): Promise<ShellAction[]> {
    const { values, positionals } = args;
    const input = await readSource(positionals[0]);
    const key = chooseKey(input.keys, option(values["key-id"]));
    const profile = option(values.profile) ?? input.profile ?? IMPORT_PROFILE;
    const bucket = option(values.bucket) ?? input.bucket;
    const download = values.download === true || input.download === true;
    await store(context, profile, key, bucket, values.default === true);
    if (download) {
      try {
        const { files } = await loadProfiles(context.env);
        const result = await downloadRoles(context.env, profile, files);
        info(
          `downloaded ${result.roles} roles from s3://${result.location.bucket}/${result.location.key} ` +
            `to ${result.path}${result.changed ? "" : " (unchanged)"}`,
        );
      } catch (error) {
        if (!(error instanceof StcError)) throw error;
        throw new StcError(`the key is imported, but the roles download failed: ${error.message}`, {
          hint: error.hint ?? `retry with 'stc roles --download -p ${profile}'`,
          exitCode: error.exitCode,
          cause: error,
        });
      }
    }
    return [];
  },
};
