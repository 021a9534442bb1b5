/**
 * Profiles of ~/.aws/config that stc manages (`stc roles --write-config`): each carries the marker key
 * `stc_managed = true`, is rewritten on the next run and removed when no longer wanted; a section without the
 * marker is never touched, even when its name is wanted.
 *
 * @example
 * ```ts
 * import { applyManagedProfiles } from "./managed_profiles.ts";
 * import assert from "node:assert/strict";
 * const text = "[profile mine]\nregion = eu-west-1\n";
 * const result = applyManagedProfiles(text, {
 *   mine: { credential_process: "stc credential-process mine" },
 *   "dev-admin": { credential_process: "stc credential-process dev-admin" },
 * });
 * assert.deepEqual(result.skipped, ["mine"]);
 * assert.ok(result.text.startsWith(text));
 * assert.match(result.text, /\[profile dev-admin\]\ncredential_process = stc credential-process dev-admin\nstc_managed = true\n/);
 * ```
 *
 * @module
 */

import type { Env } from "../core/env.ts";
import { editAwsFile } from "./aws_files.ts";
import { isValidIdentifier, parseProfileFile } from "./ini.ts";
import { profileSection, removeSection, setKey } from "./ini_edit.ts";

/** The key marking a section as written by stc. */
export const MANAGED_KEY = "stc_managed";

/** What applying the wanted profiles did. */
export interface ManagedResult {
  /** The new config text. */
  text: string;
  /** Profiles written (new or updated). */
  written: string[];
  /** Wanted profiles left alone: their section exists and stc did not write it. */
  skipped: string[];
  /** Managed profiles removed because they are no longer wanted. */
  removed: string[];
}

/** Makes the managed profiles of `text` exactly `wanted` (profile → keys), leaving every other section alone. */
export function applyManagedProfiles(
  text: string,
  wanted: Readonly<Record<string, Readonly<Record<string, string>>>>,
): ManagedResult {
  const sections = parseProfileFile(text, "config").filter((s) => s.key.type === "profile");
  const managed = new Set(
    sections.filter((s) => s.properties.get(MANAGED_KEY) === "true").map((s) => s.key.name),
  );
  const existing = new Set(sections.map((s) => s.key.name));
  const result: ManagedResult = { text, written: [], skipped: [], removed: [] };
  for (const name of managed) {
    if (Object.hasOwn(wanted, name)) continue;
    result.text = removeSection(result.text, profileSection("config", name, result.text));
    result.removed.push(name);
  }
  for (const [name, keys] of Object.entries(wanted)) {
    if (
      !isValidIdentifier(name) || name === "default" || (existing.has(name) && !managed.has(name))
    ) {
      result.skipped.push(name);
      continue;
    }
    const section = profileSection("config", name, result.text);
    for (const [key, value] of Object.entries({ ...keys, [MANAGED_KEY]: "true" })) {
      result.text = setKey(result.text, section, key, value);
    }
    result.written.push(name);
  }
  return result;
}

/** Applies {@linkcode applyManagedProfiles} to ~/.aws/config under its lock, in one atomic write. */
export async function writeManagedProfiles(
  wanted: Readonly<Record<string, Readonly<Record<string, string>>>>,
  env: Env,
): Promise<ManagedResult> {
  let result: ManagedResult | undefined;
  await editAwsFile("config", (text) => (result = applyManagedProfiles(text, wanted)).text, env);
  return result!;
}
