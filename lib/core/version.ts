/**
 * The version of stc, kept equal to `version` in deno.json (a test checks it).
 *
 * @module
 */

/** The stc version. */
export const VERSION = "0.1.0";
