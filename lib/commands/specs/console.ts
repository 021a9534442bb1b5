/**
 * The command line of `stc console`: its options, arguments, help and examples.
 *
 * @module
 */

import { type CommandSpec, profileOption } from "../../cli/spec.ts";
import { BROWSER_KEY } from "../../config/keys.ts";
import { SERVICE_NAMES } from "../../console/services.ts";
import { wrapWords } from "../../core/text.ts";
import { COMMAND_SUMMARIES } from "../overview.ts";

/** The spec of `stc console`. */
export const CONSOLE_SPEC = {
  name: "console",
  summary: COMMAND_SUMMARIES.console,
  description: `
Assumes the role (from the shell's MFA session; with the long-term key and an MFA code when --duration is
over 1 hour), asks the federation endpoint for a sign-in token, and prints a login URL that works once within
15 minutes. The shell's environment is not changed. Without an alias (or with '-') the shell's current role
credentials are used; with only an IAM user's long-term key, GetFederationToken signs in as a federated user
with the user's own permissions. With no alias and no role credentials, at a terminal, you pick the role (or
'-', your user) from a list.

The console session lasts as long as AWS allows for the credentials, or --duration: up to 1 hour for a
role assumed from the MFA session (role chaining; AWS then ties the console session to the role's
credentials), up to 12 hours for a role assumed with the access key, up to 36 hours for a federated user. The partition (aws, aws-cn, aws-us-gov) follows the
role's ARN, -u or --region.

-o opens the URL in a browser profile of the role's own (Chrome/Chromium --profile-directory), so several
accounts can be open side by side; -d uses the default profile. The browser is ${BROWSER_KEY} in the
profile's section of ~/.aws/config (a line '${BROWSER_KEY} = /usr/bin/chromium'), else the
system's default browser. STC_FEDERATION_ENDPOINT overrides the federation endpoint URL.

Service shortcuts:
${wrapWords(SERVICE_NAMES.join(", "), 100, "  ")}`,
  args: [
    {
      name: "alias",
      description:
        "Role alias to sign in as (see 'stc roles'); '-' or none: the current credentials",
      optional: true,
      complete: "role",
    },
    {
      name: "service",
      description: "Service page to open, e.g. s3, ec2, iam (default: the console home)",
      optional: true,
      complete: "service",
    },
  ],
  options: [
    {
      name: "open",
      short: "o",
      type: "boolean",
      description: "Open the URL in the browser, in a browser profile of the role's own",
    },
    {
      name: "default-profile",
      short: "d",
      type: "boolean",
      description: "Open the URL in the browser's default profile",
    },
    {
      name: "url",
      short: "u",
      type: "string",
      valueName: "URL",
      description: "Console page to open after sign-in (any https console URL)",
    },
    {
      name: "list",
      short: "l",
      type: "boolean",
      description: "List the role aliases",
    },
    {
      name: "region",
      type: "string",
      valueName: "REGION",
      description: "Region of the page (also decides the partition)",
    },
    {
      name: "duration",
      type: "string",
      valueName: "DURATION",
      description:
        "Console session length: 15m to 12h for a role (over 1h needs an MFA code), 36h federated",
    },
    {
      name: "mfa",
      type: "string",
      valueName: "CODE",
      description: "MFA code, when one is needed (else asked for)",
    },
    profileOption("Profile with the long-term key (default: the session's, $AWS_PROFILE, …)"),
  ],
  examples: [
    {
      command: "stc console prod-admin",
      description: "Print a sign-in URL for the role prod-admin",
    },
    {
      command: "stc console -o prod-admin s3 --region eu-west-1",
      description: "Open S3 in eu-west-1 in prod-admin's own browser profile",
    },
    {
      command: "stc console --duration 8h prod-admin",
      description:
        "An 8-hour console session (assumes with the long-term key; asks for an MFA code)",
    },
    {
      command: "stc console -d -u https://console.aws.amazon.com/iam/home",
      description:
        "Open IAM with the shell's current role credentials in the default browser profile",
    },
  ],
} as const satisfies CommandSpec;
