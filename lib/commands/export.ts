/**
 * `stc export`: prints the one command that imports the profile's access key (and roles bucket) on another host,
 * in session-tool.sh's format, so `stc import -` and session-tool.sh's `get_session` both accept it.
 *
 * @module
 */

import { type Command, profileOption } from "../cli/command.ts";
import { formatImportCommand } from "../keys/transfer.ts";
import { printLine } from "../cli/output.ts";
import { longTermKey, requireProfile, rolesBucket, selectProfile } from "../config/profile.ts";
import { loadProfiles } from "../roles/load.ts";
import { info } from "../term/ui.ts";

/** `stc export`. */
export const exportCommand: Command = {
  name: "export",
  summary: "Print the command that imports this profile's access key on another host",
  description: `
Prints 'get_session -p PROFILE -i KEYID,SECRET -b BUCKET -d' (without -b/-d when the profile has no roles bucket).
Paste it into a shell with stc's functions or session-tool.sh, or feed it to 'stc import -'. The line holds the
secret key: do not leave it in a terminal scrollback or a shared file.`,
  args: [],
  options: [
    profileOption("Profile whose key to export (default: the selected profile)"),
  ],
  examples: [
    { command: "stc export -p awsops", description: "Print the import command for profile awsops" },
    {
      command: "stc export | ssh bastion2 stc import -",
      description: "Copy the key to another host without it touching a command line",
    },
  ],
  async run(context, args) {
    const requested = typeof args.values.profile === "string" && args.values.profile !== ""
      ? args.values.profile
      : undefined;
    const { files } = await loadProfiles(context.env);
    const { name } = selectProfile(requested, context.env, files);
    const profile = requireProfile(files, name);
    const key = longTermKey(profile, name);
    if (context.stdoutIsTerminal) info("the line below holds the secret key; keep it private");
    return [printLine(formatImportCommand({
      profile: name,
      accessKeyId: key.accessKeyId,
      secretAccessKey: key.secretAccessKey,
      bucket: rolesBucket(profile),
    }))];
  },
};
