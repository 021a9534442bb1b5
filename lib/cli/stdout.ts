/**
 * The one writer of stdout. What is written is decided in cli/output.ts (shell code for the shell function, or
 * data); this module only writes it whole.
 *
 * @module
 */

const encoder = new TextEncoder();

/** Writes `text` to stdout exactly as given. */
export function writeStdout(text: string): void {
  const bytes = encoder.encode(text);
  for (let done = 0; done < bytes.length;) done += Deno.stdout.writeSync(bytes.subarray(done));
}
