/**
 * Reading shell words without a shell: for lines stc is handed (an export line, a session-tool.sh session file,
 * an `mfa_process` command), where nothing may be expanded or run.
 *
 * @example
 * ```ts
 * import { splitShellWords } from "./words.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(splitShellWords(`ykman oath accounts code --single 'aws prod'`), [
 *   "ykman", "oath", "accounts", "code", "--single", "aws prod",
 * ]);
 * assert.equal(splitShellWords("a 'b"), undefined);
 * ```
 *
 * @module
 */

/**
 * Splits a command line into words the way a POSIX shell does for quoting (single quotes, double quotes,
 * backslashes); nothing is expanded. Returns undefined for an unterminated quote.
 */
export function splitShellWords(line: string): string[] | undefined {
  const words: string[] = [];
  let current = "";
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return undefined;
      current += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '"') {
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === "\\" && i + 1 < line.length && '"\\$`\n'.includes(line[i + 1])) i++;
        current += line[i];
        i++;
      }
      if (i >= line.length) return undefined;
      inWord = true;
    } else if (c === "\\") {
      if (i + 1 < line.length) current += line[++i];
      inWord = true;
    } else if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      if (inWord) words.push(current);
      current = "";
      inWord = false;
    } else {
      current += c;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}
