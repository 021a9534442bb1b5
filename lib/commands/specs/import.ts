/**
 * The command line of `stc import`: its options, arguments, help and examples.
 *
 * @module
 */

import { type CommandSpec, profileOption } from "../../cli/spec.ts";
import { IMPORT_PROFILE } from "../../config/keys.ts";
import { validateBucketName } from "../../core/bucket.ts";
import { COMMAND_SUMMARIES } from "../overview.ts";

/** The spec of `stc import`. */
export const IMPORT_SPEC = {
  name: "import",
  summary: COMMAND_SUMMARIES.import,
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
      check: validateBucketName,
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
} as const satisfies CommandSpec;
