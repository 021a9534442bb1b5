/**
 * `stc import`: stores an IAM user's access key in a profile of ~/.aws/credentials, from the console's CSV file, a
 * `KEYID,SECRET` pair, or stdin (which also takes the line `stc export` prints). session-tool.sh's `get_session -i`.
 *
 * @module
 */

import { type Command, type Context, defineCommand } from "../cli/command.ts";
import {
  checkWritable,
  loadProfiles,
  mergeProfileUpdates,
  updateKeyAndConfig,
} from "../config/aws_files.ts";
import { checkProfileName } from "../config/profile.ts";
import { StcError, usageError, withContext } from "../core/errors.ts";
import { getProfile } from "../config/ini.ts";
import { type AccessKeyPair, chooseKey, type KeyInput, parseKeyInput } from "../keys/csv.ts";
import { downloadRoles } from "../roles/download.ts";
import { rolePaths } from "../roles/sources.ts";
import type { Term } from "../term/term.ts";
import type { Env } from "../core/env.ts";
import { readOptionalFile } from "../fs/read.ts";
import { BUCKET_KEY, DEFAULT_PROFILE_KEY, IMPORT_PROFILE } from "../config/keys.ts";
import { checkBucketName } from "../config/bucket.ts";
import { IMPORT_SPEC } from "./specs/import.ts";
import { counted } from "../core/plural.ts";
import { msg, own } from "../core/message.ts";

const PAIR_ARGUMENT = /^AKIA[A-Z0-9]{16},/;

/** The largest key input stc reads: a console CSV file with a few keys is well under a kilobyte. */
const MAX_KEY_INPUT_BYTES = 64 * 1024;

/** The text of a key file, or undefined when there is no such file. */
async function readKeyFile(path: string): Promise<string | undefined> {
  try {
    const data = await readOptionalFile(path, { maxBytes: MAX_KEY_INPUT_BYTES });
    return data === undefined ? undefined : new TextDecoder().decode(data);
  } catch (error) {
    // The argument is only named when it cannot be a mistyped secret.
    throw new StcError(msg`cannot read the file${shownPath(path)}`, {
      hint: "give the console's .csv file, KEYID,SECRET, or - to read the key from stdin",
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
async function readSource(term: Term, source: string, env: Env): Promise<KeyInput> {
  if (source === "-") {
    if (term.stdinIsTerminal) return await promptKey(term);
    const text = await term.readAllStdin(MAX_KEY_INPUT_BYTES, "the key on stdin");
    // session-tool.sh's `get_session -i KEYID,SECRET` hands the pair over on stdin, but it was typed.
    if (env[TYPED_SECRET_VARIABLE]) warnTypedSecret(term, false);
    return await parseKeyInput(text);
  }
  if (!PAIR_ARGUMENT.test(source)) {
    const text = await readKeyFile(source);
    if (text !== undefined) return await parseKeyInput(text);
    if (!source.includes(",")) {
      throw usageError(
        msg`file${shownPath(source)} not found`,
        "give the console's .csv file, KEYID,SECRET, or - to read the key from stdin",
      );
    }
  }
  warnTypedSecret(term, true);
  return await parseKeyInput(source);
}

/**
 * Asks a person for the key at a terminal: the key id, then the secret, both without echo (a KEYID,SECRET pair or
 * the line `stc export` prints may be pasted at the first question, and is taken as it is).
 */
async function promptKey(term: Term): Promise<KeyInput> {
  const first = (await term.prompt("Access key ID (or paste KEYID,SECRET):", { secret: true }))
    .trim();
  if (/[,\s]/.test(first)) return await parseKeyInput(first);
  // Shown once it is known to be a key id, not a secret pasted at the wrong question.
  if (/^A[KS]IA[A-Z0-9]{16}$/.test(first)) term.say(msg`Access key ID: ${first}`);
  const secret = await term.prompt("Secret access key:", { secret: true });
  return await parseKeyInput(`${first},${secret.trim()}`);
}

/**
 * Set by the shell functions of `stc init` when the key they hand over on stdin was typed on their command line
 * (`get_session -i KEYID,SECRET`).
 */
const TYPED_SECRET_VARIABLE = "STC_SECRET_ON_COMMAND_LINE";

function warnTypedSecret(term: Term, inArguments: boolean): void {
  term.warn(
    "a secret typed on a command line may stay in the shell history and the terminal's scrollback" +
      (inArguments ? ", and is visible in ps while stc runs" : "") +
      "; next time use 'stc import -' and paste KEYID,SECRET (then consider 'stc rotate')",
  );
}

/**
 * Writes the key (and bucket, and default profile) to the AWS files: every value is checked before the first
 * write, and the two files land together (see {@linkcode updateKeyAndConfig}).
 */
async function store(
  context: Context,
  profile: string,
  key: AccessKeyPair,
  bucket: string | undefined,
  makeDefault: boolean,
): Promise<void> {
  const { files } = await loadProfiles(context.env);
  const currentDefault = getProfile(files, "default")?.[DEFAULT_PROFILE_KEY];
  const setDefault = (makeDefault || !currentDefault) && currentDefault !== profile;
  await updateKeyAndConfig({
    profile,
    credentials: {
      aws_access_key_id: key.accessKeyId,
      aws_secret_access_key: key.secretAccessKey,
      // Left-over temporary credentials would pair a session token with the new long-term key.
      aws_session_token: null,
      aws_security_token: null,
    },
    // The bucket and the default profile land in one write of the config file.
    config: mergeProfileUpdates(
      bucket ? { [profile]: { [BUCKET_KEY]: bucket } } : {},
      setDefault ? { default: { [DEFAULT_PROFILE_KEY]: profile } } : {},
    ),
  }, context.env);
  context.term.info(msg`imported ${key.accessKeyId} into profile '${profile}'`);
  if (bucket) context.term.info(msg`roles bucket of '${profile}': ${bucket}`);
  if (makeDefault || !currentDefault) {
    context.term.info(msg`'${profile}' is the default profile (${DEFAULT_PROFILE_KEY})`);
  } else if (currentDefault !== profile) {
    context.term.info(
      msg`the default profile stays '${currentDefault}' (use --default to change it)`,
    );
  }
}

/** `stc import`. */
export const importCommand: Command = defineCommand(
  IMPORT_SPEC,
  async (context, input) => {
    const { options } = input;
    const source = await readSource(context.term, input.args.source, context.env);
    const key = chooseKey(source.keys, options["key-id"]);
    const profile = options.profile ??
      (source.profile === undefined
        ? IMPORT_PROFILE
        : checkProfileName(source.profile, "the import line"));
    const bucket = options.bucket ??
      (source.bucket === undefined
        ? undefined
        : checkBucketName(source.bucket, "the -b of the import line"));
    const download = options.download || source.download === true;
    // The roles list of -d must be writable too, or the import would stop half done.
    const rolesList = rolePaths(context.env, profile).organisation;
    if (download && rolesList !== "") await checkWritable([rolesList]);
    await store(context, profile, key, bucket, options.default);
    if (download) {
      try {
        const { files } = await loadProfiles(context.env);
        const result = await downloadRoles(context, profile, files);
        context.term.info(
          msg`downloaded ${
            counted(result.roles, "role")
          } from s3://${result.location.bucket}/${result.location.key} to ${result.path}${
            own(result.changed ? "" : " (unchanged)")
          }`,
        );
      } catch (error) {
        throw withContext(
          error,
          "the key is imported, but the roles download failed",
          `retry with 'stc roles --download -p ${profile}'`,
        );
      }
    }
    return [];
  },
);
