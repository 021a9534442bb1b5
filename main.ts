/**
 * stc: AWS sessions, role assumption, console sign-in and key rotation for IAM users with MFA.
 *
 * @module
 */

import { main } from "./lib/cli/main.ts";

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
