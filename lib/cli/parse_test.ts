import assert from "node:assert/strict";
import { StcError } from "../core/errors.ts";
import { checkArity, commandInput, parseArgs, parseCommandLine } from "./parse.ts";
import { profileOption } from "./spec.ts";
import { sanitise } from "../term/sanitise.ts";

const SPEC = {
  name: "demo",
  summary: "A command for tests",
  args: [
    { name: "alias", description: "", optional: true },
    { name: "rest", description: "", optional: true, variadic: true },
  ],
  options: [
    { name: "profile", short: "p", type: "string", description: "" },
    { name: "open", short: "o", type: "boolean", description: "" },
    { name: "list", short: "l", type: "boolean", description: "" },
    { name: "two-keys", short: "t", type: "boolean", description: "" },
  ],
} as const;

function usage(argv: string[], message: RegExp): void {
  assert.throws(
    () => parseArgs(SPEC, argv),
    (e) => e instanceof StcError && e.exitCode === 2 && message.test(e.message),
  );
}

Deno.test("options: long, long=, short, short value glued or with =, clusters, any order", () => {
  const input = parseCommandLine(SPEC, ["x", "--profile", "a", "-ol", "y", "--two-keys"]);
  assert.equal(input.options.profile, "a");
  assert.equal(input.options.open, true);
  assert.equal(input.options.list, true);
  assert.equal(input.options["two-keys"], true);
  assert.equal(input.options.help, false);
  assert.equal(input.args.alias, "x");
  assert.deepEqual(input.args.rest, ["y"]);
  for (const argv of [["--profile=b"], ["-pb"], ["-p=b"], ["-p", "b"], ["-olpb"]]) {
    assert.equal(parseArgs(SPEC, argv).values.profile, "b", argv.join(" "));
  }
  // The last one wins, as with getopts.
  assert.equal(parseArgs(SPEC, ["-p", "a", "-p", "b"]).values.profile, "b");
});

Deno.test("-- ends the options; a lone - is an argument; a value may be - but not -x", () => {
  const input = parseCommandLine(SPEC, ["--", "-p", "--open"]);
  assert.deepEqual(input.positionals, ["-p", "--open"]);
  assert.equal(input.options.profile, undefined);
  assert.deepEqual(parseArgs(SPEC, ["-"]).positionals, ["-"]);
  assert.equal(parseArgs(SPEC, ["-p", "-"]).values.profile, "-");
  assert.equal(parseArgs(SPEC, ["--profile=-x"]).values.profile, "-x");
  usage(["-p", "-o"], /option '-p' needs a value for 'stc demo'/);
  usage(["--profile"], /option '--profile' needs a value/);
});

Deno.test("unknown options, values for flags and empty values are usage errors; values are not echoed", () => {
  usage(["--verbose"], /^unknown option '--verbose' for 'stc demo'$/);
  usage(["-x"], /^unknown option '-x'/);
  usage(["--wJalrXUtnFEMI/K7MDENG=1"], /^unknown option \(not shown\)/);
  usage(["--open=yes"], /option '--open' takes no value/);
  usage(["--profile="], /option '--profile' needs a non-empty value/);
  usage(["-p", ""], /option '--profile' needs a non-empty value/);
});

Deno.test("arity: too many arguments are refused without echoing them; a variadic argument takes the rest", () => {
  const fixed = { ...SPEC, args: [{ name: "alias", description: "" }] } as const;
  assert.throws(
    () => checkArity(fixed, ["a", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"]),
    (e) =>
      e instanceof StcError && /too many arguments/.test(e.message) && !/wJalr/.test(e.message),
  );
  assert.throws(() => checkArity(fixed, []), /missing argument <alias>/);
  const input = commandInput(SPEC, parseArgs(SPEC, ["a", "b", "c", "d"]));
  assert.deepEqual(input.args.rest, ["b", "c", "d"]);
});

Deno.test("an option's check makes a bad value a usage error: -p with a name no AWS file can hold", () => {
  const spec = { ...SPEC, options: [profileOption("")] } as const;
  for (const name of ["bad name]", "a\nb", "$(touch PWNED)", "[x"]) {
    assert.throws(
      () => parseArgs(spec, ["-p", name]),
      (e) =>
        e instanceof StcError && e.exitCode === 2 &&
        /^invalid --profile '.*' for 'stc demo': a profile name has only letters/.test(
          sanitise(e.text),
        ) &&
        !sanitise(e.text).includes("\n"),
      JSON.stringify(name),
    );
  }
  assert.equal(parseArgs(spec, ["--profile=me@acme/dev"]).values.profile, "me@acme/dev");
});
