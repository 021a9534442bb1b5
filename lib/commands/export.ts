/**
 * `stc export`: prints the one command that imports the profile's access key (and roles bucket) on another host,
 * in session-tool.sh's format, so `stc import -` and session-tool.sh's `get_session` both accept it.
 *
 * @module
 */

import { type Command, defineCommand } from "../cli/command.ts";
import { formatImportCommand } from "../keys/transfer.ts";
import { printLine } from "../cli/output.ts";
import { longTermKey, requireProfile, rolesBucket, selectProfile } from "../config/profile.ts";
import { EXPORT_SPEC } from "./specs/export.ts";
import { loadProfiles } from "../config/aws_files.ts";

/** `stc export`. */
export const exportCommand: Command = defineCommand(
  EXPORT_SPEC,
  async (context, input) => {
    const requested = input.options.profile;
    const { files } = await loadProfiles(context.env);
    const { name } = selectProfile(requested, context.env, files);
    const profile = requireProfile(files, name);
    const key = longTermKey(profile, name);
    const bucket = rolesBucket(profile, name);
    if (context.stdoutIsTerminal) {
      context.term.info("the line below holds the secret key; keep it private");
    }
    // Quoted for the shell stc's output is meant for (the function's, --shell, STC_SHELL); for names and keys
    // as AWS allows them, the line is the same in every shell.
    return [printLine(formatImportCommand({
      profile: name,
      accessKeyId: key.accessKeyId,
      secretAccessKey: key.secretAccessKey,
      bucket,
    }, context.shell))];
  },
);
