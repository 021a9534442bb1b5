import assert from "node:assert/strict";
import {
  type CompletionSpec,
  completionTarget,
  filterCandidates,
  formatCompletion,
  optionCandidates,
  optionValue,
} from "./completion.ts";
import type { OptionSpec } from "../cli/spec.ts";

const options: OptionSpec[] = [
  { name: "profile", short: "p", type: "string", description: "Profile", complete: "profile" },
  { name: "bucket", short: "b", type: "string", description: "Bucket" },
  { name: "save", short: "s", type: "boolean", description: "Save" },
  { name: "shell", type: "string", description: "Shell", complete: "shell" },
];
const spec: CompletionSpec = {
  options,
  args: [
    { name: "alias", description: "Alias", complete: "role" },
    { name: "service", description: "Service", complete: "service", optional: true },
  ],
  longOptions: true,
};

Deno.test("completionTarget: positional arguments by position, skipping options and their values", () => {
  assert.deepEqual(completionTarget(spec, [], "de"), {
    type: "value",
    kind: "role",
    prefix: "de",
    insertPrefix: "",
  });
  for (
    const before of [["-p", "x"], ["--profile", "x"], ["--profile=x"], ["-px"], ["-s"], [
      "-sp",
      "x",
    ]]
  ) {
    const target = completionTarget(spec, before, "");
    assert.equal(target.type === "value" && target.kind, "role", before.join(" "));
  }
  const second = completionTarget(spec, ["-s", "dev", "-p", "x"], "e");
  assert.equal(second.type === "value" && second.kind, "service");
  assert.deepEqual(completionTarget(spec, ["dev", "s3"], ""), { type: "none" });
});

Deno.test("completionTarget: values of options, also after = and in clusters", () => {
  assert.deepEqual(completionTarget(spec, ["-p"], "aw"), {
    type: "value",
    kind: "profile",
    prefix: "aw",
    insertPrefix: "",
  });
  assert.deepEqual(completionTarget(spec, ["-sp"], ""), {
    type: "value",
    kind: "profile",
    prefix: "",
    insertPrefix: "",
  });
  assert.deepEqual(completionTarget(spec, [], "--shell=z"), {
    type: "value",
    kind: "shell",
    prefix: "z",
    insertPrefix: "--shell=",
  });
  // A value without a completion kind offers nothing (not the next argument's kind).
  assert.deepEqual(completionTarget(spec, ["-b"], ""), { type: "none" });
  assert.deepEqual(completionTarget(spec, [], "--bucket="), { type: "none" });
});

Deno.test("completionTarget: options for a dash, nothing but arguments after --", () => {
  assert.equal(completionTarget(spec, [], "-").type, "options");
  assert.equal(completionTarget(spec, ["dev"], "--p").type, "options");
  const after = completionTarget(spec, ["--"], "-x");
  assert.equal(after.type === "value" && after.kind, "role");
});

Deno.test("optionCandidates: long and short names, only short ones for seed commands", () => {
  assert.deepEqual(optionCandidates(spec, "--p").map((c) => c.value), ["--profile"]);
  assert.deepEqual(
    optionCandidates(spec, "-").map((c) => c.value),
    ["--profile", "-p", "--bucket", "-b", "--save", "-s", "--shell"],
  );
  const seed = { ...spec, longOptions: false };
  assert.deepEqual(optionCandidates(seed, "-").map((c) => c.value), ["-p", "-b", "-s"]);
  assert.equal(optionCandidates(spec, "-p")[0].description, "Profile");
});

Deno.test("optionValue: the last value given, in every spelling", () => {
  assert.equal(optionValue(spec, ["-p", "a"], "profile"), "a");
  assert.equal(optionValue(spec, ["--profile", "a", "-pb"], "profile"), "b");
  assert.equal(optionValue(spec, ["--profile=c", "x"], "profile"), "c");
  assert.equal(optionValue(spec, ["x", "--", "-p", "a"], "profile"), undefined);
  assert.equal(
    optionValue({ ...spec, longOptions: false }, ["--profile", "a"], "profile"),
    undefined,
  );
});

Deno.test("formatCompletion: mode line, tab-separated descriptions, unsafe values dropped", () => {
  assert.equal(formatCompletion("files:csv"), "files:csv\n");
  assert.equal(
    formatCompletion("values", [
      { value: "a", description: "one\ttwo\nthree" },
      { value: "b" },
      { value: "bad\nname" },
      { value: "" },
    ]),
    "values\na\tone two three\nb\n",
  );
  assert.deepEqual(
    filterCandidates([{ value: "dev" }, { value: "prod" }, { value: "dev" }], "d"),
    [{ value: "dev" }],
  );
});
