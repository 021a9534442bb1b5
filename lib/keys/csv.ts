/**
 * Access keys as users hand them to `stc import`: the CSV files the AWS console offers for download (two- and
 * five-column layouts), a `KEYID,SECRET` pair, or the one-line import command `stc export` prints; and the check
 * that a key looks like an IAM user's long-term key.
 *
 * Errors never contain a secret.
 *
 * @module
 */

import { usageError } from "../core/errors.ts";
import { isImportCommand, parseImportCommand } from "./transfer.ts";
import { msg } from "../core/message.ts";
import { registerSecret } from "../core/secrets.ts";

/** A long-term access key. */
export interface AccessKeyPair {
  /** AKIA… */
  accessKeyId: string;
  /** The secret key. */
  secretAccessKey: string;
  /** The IAM user name, when the CSV has a "User name" column. */
  userName?: string;
}

/** A key read from user input, with the settings an import command line may carry. */
export interface KeyInput {
  /** The keys found (a console CSV may hold several). */
  keys: AccessKeyPair[];
  /** `-p` of an import command line. */
  profile?: string;
  /** `-b` of an import command line. */
  bucket?: string;
  /** `-d` of an import command line. */
  download?: boolean;
}

const KEY_ID = /^AKIA[A-Z0-9]{16}$/;
const SECRET = /^[A-Za-z0-9/+]{40}$/;

/**
 * Checks that a key looks like an IAM user's long-term access key: `AKIA` + 16 upper-case letters or digits, and
 * a 40-character secret. Returns the trimmed pair; throws a usage error that never shows the secret.
 */
export function checkAccessKey(accessKeyId: string, secretAccessKey: string): AccessKeyPair {
  const id = accessKeyId.trim();
  const secret = secretAccessKey.trim();
  if (!KEY_ID.test(id)) {
    const shown = /^[A-Z0-9]{1,32}$/.test(id) ? ` '${id}'` : "";
    const hint = id.startsWith("ASIA")
      ? "ASIA… keys are temporary session credentials; import the IAM user's own key (AKIA…)"
      : "an access key id is AKIA followed by 16 upper-case letters or digits (20 characters)";
    throw usageError(msg`invalid access key id${shown}`, hint);
  }
  if (!SECRET.test(secret)) {
    throw usageError(
      msg`invalid secret access key for ${id} (${secret.length} characters; not shown)`,
      "a secret access key has 40 characters (letters, digits, / and +)",
    );
  }
  registerSecret(secret);
  return { accessKeyId: id, secretAccessKey: secret };
}

const ID_HEADER = "access key id";
const SECRET_HEADER = "secret access key";
const USER_HEADER = "user name";

function normaliseHeader(cell: string): string {
  return cell.replace(/^\uFEFF/, "").trim().toLowerCase().replace(/\s+/g, " ");
}

/**
 * Parses a CSV file from the AWS console: the columns are found by their header ("Access key ID",
 * "Secret access key", optionally "User name"), so both the two-column and the five-column layout work; a BOM
 * and CRLF line ends are handled. Returns every key in it, checked with {@linkcode checkAccessKey}.
 */
export async function parseKeyCsv(text: string): Promise<AccessKeyPair[]> {
  const { parse } = await import("csv-parse/sync");
  let rows: string[][];
  try {
    rows = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    }) as string[][];
  } catch (error) {
    // csv-parse messages quote the offending record, which holds the secret: report only where.
    const line = (error as { lines?: number }).lines;
    throw usageError(
      msg`the CSV file cannot be parsed${line ? ` (line ${line})` : ""}`,
      "use the .csv file the AWS console offered when the access key was created",
    );
  }
  if (rows.length === 0) throw usageError("the CSV file is empty");
  const header = rows[0].map(normaliseHeader);
  const idColumn = header.indexOf(ID_HEADER);
  const secretColumn = header.indexOf(SECRET_HEADER);
  if (idColumn < 0 || secretColumn < 0) {
    throw usageError(
      "the CSV file has no 'Access key ID' and 'Secret access key' columns",
      "use the .csv file the AWS console offered when the access key was created",
    );
  }
  const userColumn = header.indexOf(USER_HEADER);
  const keys: AccessKeyPair[] = [];
  for (const row of rows.slice(1)) {
    if (row.every((cell) => cell === "")) continue;
    const key = checkAccessKey(row[idColumn] ?? "", row[secretColumn] ?? "");
    const userName = userColumn >= 0 ? row[userColumn] : undefined;
    keys.push(userName ? { ...key, userName } : key);
  }
  if (keys.length === 0) throw usageError("the CSV file holds no access key");
  return keys;
}

/** Whether `text` starts like a console CSV file (a header naming the access key columns). */
export function looksLikeKeyCsv(text: string): boolean {
  const first = text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0].toLowerCase();
  return first.includes(ID_HEADER) && first.includes(SECRET_HEADER);
}

/**
 * Reads a key from text given on stdin or as an argument: an import command line (`get_session … -i
 * KEYID,SECRET …`, whose -p, -b and -d are returned too), a console CSV file, or a `KEYID,SECRET` pair.
 */
export async function parseKeyInput(text: string): Promise<KeyInput> {
  const trimmed = text.replace(/^\uFEFF/, "").trim();
  if (trimmed === "") throw usageError("no access key given (the input is empty)");
  if (isImportCommand(trimmed)) {
    const command = parseImportCommand(trimmed);
    return {
      keys: [checkAccessKey(command.accessKeyId, command.secretAccessKey)],
      profile: command.profile,
      bucket: command.bucket,
      download: command.download,
    };
  }
  if (looksLikeKeyCsv(trimmed)) return { keys: await parseKeyCsv(trimmed) };
  const lines = trimmed.split(/\r?\n/);
  const pair = lines[0].split(/[,\s]+/).filter((part) => part !== "");
  if (lines.length !== 1 || pair.length !== 2) {
    throw usageError(
      "the input is not KEYID,SECRET, a console CSV file or an import command",
      "give the key as KEYID,SECRET, the path of the console's .csv file, or - to read it from stdin",
    );
  }
  return { keys: [checkAccessKey(pair[0], pair[1])] };
}

/**
 * The one key to import: the only key, or the one named by `keyId`. Several keys without `keyId` is an error
 * listing their ids.
 */
export function chooseKey(
  keys: readonly AccessKeyPair[],
  keyId: string | undefined,
): AccessKeyPair {
  if (keyId !== undefined) {
    const id = keyId.trim();
    const found = keys.find((k) => k.accessKeyId === id);
    if (!found) {
      // A secret typed in the wrong place is not echoed: only an id-like value is named.
      const shown = /^[A-Z0-9]{1,32}$/.test(id) ? ` ${id}` : "";
      throw usageError(
        msg`access key${shown} is not in the input`,
        `it holds: ${keys.map((k) => k.accessKeyId).join(", ")}`,
      );
    }
    return found;
  }
  if (keys.length === 1) return keys[0];
  throw usageError(
    msg`the input holds ${keys.length} access keys: ${keys.map((k) => k.accessKeyId).join(", ")}`,
    "choose one with --key-id KEYID",
  );
}
