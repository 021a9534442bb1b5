/**
 * The one-line command that carries an access key (and the roles bucket) to another host: session-tool.sh's
 * export format `get_session -p PROFILE -i KEYID,SECRET -b BUCKET -d`, which both session-tool.sh and
 * `stc import -` accept.
 *
 * @module
 */

import { usageError } from "../core/errors.ts";
import { quoteWord } from "../shell/emitter.ts";
import type { ShellName } from "../shell/shell_name.ts";
import { splitShellWords } from "../shell/words.ts";
import { msg } from "../core/message.ts";

/** An access key to move to another host. */
export interface KeyTransfer {
  /** Profile the key goes into. */
  profile: string;
  /** AKIA… */
  accessKeyId: string;
  /** The secret key. */
  secretAccessKey: string;
  /** S3 bucket holding the organisation's roles file. */
  bucket?: string;
}

/** What {@linkcode parseImportCommand} found in an import command line. */
export interface ParsedImportCommand {
  /** `-p`, when given. */
  profile?: string;
  /** The key id from `-i`. */
  accessKeyId: string;
  /** The secret from `-i`. */
  secretAccessKey: string;
  /** `-b`, when given. */
  bucket?: string;
  /** Whether `-d` (download the roles file) was given. */
  download: boolean;
}

/**
 * The command that imports `key` on another host: `get_session -p PROFILE -i KEYID,SECRET -b BUCKET -d`, with
 * `-b BUCKET -d` only when a bucket is known. Values are quoted for `shell` where needed
 * ({@linkcode quoteWord}); names and keys as stc accepts them need no quoting, so the line is the same for every
 * shell, and the same as session-tool.sh's.
 */
export function formatImportCommand(key: KeyTransfer, shell: ShellName): string {
  const word = (value: string) => quoteWord(shell, value);
  const parts = [
    "get_session",
    "-p",
    word(key.profile),
    "-i",
    word(`${key.accessKeyId},${key.secretAccessKey}`),
  ];
  if (key.bucket) parts.push("-b", word(key.bucket), "-d");
  return parts.join(" ");
}

/**
 * The stc form of the import command: `printf '%s\n' KEYID,SECRET | stc import -p PROFILE [-b BUCKET -d] -`. The
 * pair reaches stc on stdin (printf is a shell builtin), so it never shows in `ps` on the other host; the line
 * works in bash, zsh, fish and sh, with the shell functions or the bare binary. For nushell it is
 * `'KEYID,SECRET' | stc import -p PROFILE [-b BUCKET -d] -`. Quoted for `shell` like {@linkcode formatImportCommand}.
 */
export function formatStcImportCommand(key: KeyTransfer, shell: ShellName): string {
  const word = (value: string) => quoteWord(shell, value);
  const pair = word(`${key.accessKeyId},${key.secretAccessKey}`);
  // nushell has no printf builtin: the external one would show the pair in `ps`; a nushell string piped to stc
  // reaches it on stdin.
  const source = shell === "nu" ? [pair] : [
    "printf",
    // Means %s\n in every shell: fish's single quotes too keep a backslash that is not before \ or '.
    "'%s\\n'",
    pair,
  ];
  const parts = [
    ...source,
    "|",
    "stc",
    "import",
    "-p",
    word(key.profile),
  ];
  if (key.bucket) parts.push("-b", word(key.bucket), "-d");
  parts.push("-");
  return parts.join(" ");
}

/** Whether `text` looks like an import command line (`get_session … -i …`, `stc import …` or its printf form). */
export function isImportCommand(text: string): boolean {
  return /^\s*(get_session|stc\s+import|printf\s.*\|\s*stc\s+import|'[^']*'\s*\|\s*stc\s+import)\s/
    .test(text);
}

/**
 * Parses an import command line as printed by {@linkcode formatImportCommand} or session-tool.sh's
 * `get_session -e` (also `stc import -p … KEYID,SECRET`). Errors never contain the secret.
 */
export function parseImportCommand(line: string): ParsedImportCommand {
  const bad = (what: string) =>
    usageError(
      msg`not an import command: ${what}`,
      "expected: get_session -p PROFILE -i KEYID,SECRET [-b BUCKET -d]",
    );
  const words = splitShellWords(line.trim());
  if (!words || words.length === 0) throw bad("unbalanced quotes");
  let rest: string[];
  let pair: string | undefined;
  if (words[0] === "get_session") rest = words.slice(1);
  else if (words[0] === "stc" && words[1] === "import") rest = words.slice(2);
  else if (
    words[0] === "printf" && words[1] === "%s\\n" && words[3] === "|" && words[4] === "stc" &&
    words[5] === "import" && words[words.length - 1] === "-"
  ) {
    // printf '%s\n' KEYID,SECRET | stc import … -
    pair = words[2];
    rest = words.slice(6, -1);
  } else if (
    words[1] === "|" && words[2] === "stc" && words[3] === "import" &&
    words[words.length - 1] === "-"
  ) {
    // nushell's form: 'KEYID,SECRET' | stc import … -
    pair = words[0];
    rest = words.slice(4, -1);
  } else throw bad("it must start with get_session or stc import");
  const result: Partial<ParsedImportCommand> & { download: boolean } = { download: false };
  for (let i = 0; i < rest.length; i++) {
    const option = rest[i];
    const value = () => {
      if (i + 1 >= rest.length) throw bad(`option ${option} has no value`);
      return rest[++i];
    };
    switch (option) {
      case "-p":
      case "--profile":
        result.profile = value();
        break;
      case "-i":
        pair = value();
        break;
      case "-b":
      case "--bucket":
        result.bucket = value();
        break;
      case "-d":
      case "--download":
        result.download = true;
        break;
      default:
        if (option.startsWith("-")) throw bad(`unknown option ${option.slice(0, 20)}`);
        if (pair !== undefined) throw bad("more than one key");
        pair = option;
    }
  }
  if (pair === undefined) throw bad("no KEYID,SECRET pair");
  const comma = pair.indexOf(",");
  if (comma < 0) throw bad("the key must be given as KEYID,SECRET");
  return {
    ...result,
    accessKeyId: pair.slice(0, comma).trim(),
    secretAccessKey: pair.slice(comma + 1).trim(),
  } as ParsedImportCommand;
}
