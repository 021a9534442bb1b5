/**
 * `stc complete`: completion candidates for the shell completions of `stc init` (completions/stc.*).
 *
 * @module
 */

import { type Command, type Context, defineCommand } from "../cli/command.ts";
import { usageError } from "../core/errors.ts";
import {
  type Candidate,
  type CompletionSpec,
  completionTarget,
  filterCandidates,
  formatCompletion,
  optionCandidates,
  optionValue,
} from "../shell/completion.ts";
import { type CompletionKind, GLOBAL_OPTIONS } from "../cli/spec.ts";
import type { LoadedProfiles } from "../config/aws_files.ts";
import { COMPLETE_SPEC } from "./specs/complete.ts";
import { msg } from "../core/message.ts";

/** Kinds `stc complete KIND` lists directly. */
const KINDS: Readonly<Record<string, CompletionKind>> = {
  commands: "command",
  profiles: "profile",
  roles: "role",
  accounts: "account",
  shells: "shell",
  services: "service",
};

const SHELLS: readonly string[] = ["bash", "zsh", "fish", "sh", "nu"];

/** A command line being completed is short; a huge stdin is not one. */
const WORDS_MAX_BYTES = 256 * 1024;

/** The spec of an stc subcommand; `help` and the top level have none. */
async function commandSpec(context: Context, name: string): Promise<CompletionSpec | undefined> {
  const command = await context.commands.spec(name);
  if (!command) return undefined;
  return {
    options: [...command.options, ...GLOBAL_OPTIONS],
    args: command.args,
    longOptions: true,
  };
}

function commandCandidates(context: Context): Candidate[] {
  return [
    ...context.commands.commands.map((c) => ({ value: c.name, description: c.summary })),
    { value: "help", description: "Show the help of a command" },
  ];
}

/** The AWS files, loaded only for the kinds that read them. */
async function fileReaders() {
  const [{ loadProfiles }, { selectProfile }] = await Promise.all([
    import("../config/aws_files.ts"),
    import("../config/profile.ts"),
  ]);
  return { loadProfiles, selectProfile };
}

async function profileNames(context: Context): Promise<string[]> {
  const [{ loadProfiles }, { RECORD_SUFFIX }] = await Promise.all([
    fileReaders(),
    import("../keys/rotation.ts"),
  ]);
  const { files } = await loadProfiles(context.env);
  // The record of a rotation in progress is a section of the credentials file, not a profile to offer.
  return Object.keys(files.profiles).filter((name) => !name.endsWith(RECORD_SUFFIX)).sort();
}

/** The profile whose roles to offer: -p on the line (or aws-assume-role's first argument), else the usual. */
function rolesProfile(
  context: Context,
  loaded: LoadedProfiles,
  requested: string | undefined,
  selectProfile: Awaited<ReturnType<typeof fileReaders>>["selectProfile"],
): string {
  try {
    return selectProfile(requested, context.env, loaded.files).name;
  } catch {
    return "";
  }
}

/**
 * The values `stc complete roles PREFIX` prints: those of {@linkcode kindCandidates} without their descriptions,
 * which a list of thousands of roles would spend most of its time on.
 */
async function roleNames(context: Context, prefix: string): Promise<string[]> {
  const [{ loadProfiles, selectProfile }, { loadRoleNames }] = await Promise.all([
    fileReaders(),
    import("../roles/sources.ts"),
  ]);
  const loaded = await loadProfiles(context.env);
  const profile = rolesProfile(context, loaded, undefined, selectProfile);
  const { names } = await loadRoleNames(context.env, profile, loaded);
  return prefix === "" ? names : names.filter((name) => name.startsWith(prefix));
}

/** The values of a kind; files are for the shell to complete, so they have none here. */
export async function kindCandidates(
  context: Context,
  kind: CompletionKind,
  profile?: string,
): Promise<Candidate[]> {
  switch (kind) {
    case "command":
      return commandCandidates(context);
    case "profile":
      return (await profileNames(context)).map((value) => ({ value }));
    case "role":
    case "account": {
      // One read of the AWS files serves both the profile choice and the catalog: this runs on every Tab.
      const [{ loadProfiles, selectProfile }, { loadRoleListing }] = await Promise.all([
        fileReaders(),
        import("../roles/load.ts"),
      ]);
      const loaded = await loadProfiles(context.env);
      // The names alone, scanned rather than parsed: with thousands of roles, parsing is most of a Tab's time.
      const listing = await loadRoleListing(
        context.env,
        rolesProfile(context, loaded, profile, selectProfile),
        loaded,
      );
      const accounts = listing.accounts.map((a) => ({
        value: a.name,
        description: `account ${a.accountId}`,
      }));
      if (kind === "account") return accounts;
      return [
        ...listing.roles.map((r) => ({ value: r.alias, description: r.roleArn })),
        ...accounts,
      ];
    }
    case "shell":
      return SHELLS.map((value) => ({ value }));
    case "service":
      return (await import("../console/services.ts")).SERVICE_NAMES.map((value) => ({ value }));
    case "csv":
    case "file":
      return [];
  }
}

/**
 * Answers `stc complete words`: `words` are the command (`stc` or a seed command such as `get_session`), the
 * words after it and, last, the word being typed.
 */
export async function completeWords(context: Context, words: readonly string[]): Promise<string> {
  if (words.length < 2) return formatCompletion("values");
  const current = words[words.length - 1];
  const program = words[0].split("/").pop() ?? "";
  let rest = words.slice(1, -1);
  let spec: CompletionSpec | undefined;
  let profile: string | undefined;
  // The seed functions' specs are loaded only when one of them is completed: `stc` itself is completed on most Tabs.
  const seed = program === "stc"
    ? undefined
    : (await import("./seed.ts")).SEED_COMMANDS.find((s) => s.name === program);
  if (seed) {
    spec = { options: seed.options, args: seed.args, longOptions: false };
    profile = optionValue(spec, rest, "profile") ??
      (seed.name === "aws-assume-role" ? rest.find((w) => !w.startsWith("-")) : undefined);
  } else {
    if (rest.length === 0) {
      if (current.startsWith("-")) {
        return formatCompletion(
          "values",
          filterCandidates([
            { value: "--help", description: "Show help" },
            { value: "--version", description: "Print the version" },
          ], current),
        );
      }
      return formatCompletion("values", filterCandidates(commandCandidates(context), current));
    }
    const [name, ...after] = rest;
    if (name === "help") {
      if (after.length > 0) return formatCompletion("values");
      return formatCompletion("values", filterCandidates(commandCandidates(context), current));
    }
    spec = await commandSpec(context, name);
    if (!spec) return formatCompletion("values");
    rest = after;
    profile = optionValue(spec, rest, "profile");
  }
  const target = completionTarget(spec, rest, current);
  if (target.type === "none") return formatCompletion("values");
  if (target.type === "options") {
    return formatCompletion("values", optionCandidates(target.spec, target.prefix));
  }
  if (target.kind === "csv") return formatCompletion("files:csv");
  if (target.kind === "file") return formatCompletion("files");
  const values = filterCandidates(
    await kindCandidates(context, target.kind, profile),
    target.prefix,
  );
  const prefix = target.insertPrefix;
  return formatCompletion(
    "values",
    prefix === "" ? values : values.map((c) => ({ ...c, value: prefix + c.value })),
  );
}

/** `stc complete`. */
export const completeCommand: Command = defineCommand(
  COMPLETE_SPEC,
  async (context, input) => {
    const [kind, prefix = ""] = input.positionals;
    if (kind === "words") {
      if (context.term.stdinIsTerminal) {
        throw usageError(
          "'stc complete words' reads the words from stdin, one a line",
          "see 'stc help complete'",
        );
      }
      const words = (await context.term.readAllStdin(WORDS_MAX_BYTES, "the command line on stdin"))
        .split("\n");
      return [{ kind: "print", text: await completeWords(context, words) }];
    }
    const completion = KINDS[kind];
    if (!completion) {
      throw usageError(
        msg`unknown kind '${kind}' for 'stc complete'`,
        `use one of: words, ${Object.keys(KINDS).join(", ")}`,
      );
    }
    const names = completion === "role"
      ? await roleNames(context, prefix)
      : filterCandidates(await kindCandidates(context, completion), prefix)
        .filter((c) => !/[\r\n]/.test(c.value))
        .map((c) => c.value);
    return names.length === 0 ? [] : [{ kind: "print", text: `${names.join("\n")}\n` }];
  },
);
