import assert from "node:assert/strict";
import {
  awsPaths,
  completePendingUpdate,
  editAwsFile,
  mergeProfileUpdates,
  readAwsFile,
  removeProfile,
  updateKeyAndConfig,
  updateProfile,
  updateProfiles,
} from "./aws_files.ts";
import { StcError } from "../core/errors.ts";
import { TEMP_INFIX, withLock } from "../fs/atomic.ts";
import type { Env } from "../core/env.ts";
import { parseProfileFiles, type ProfileFiles } from "./ini.ts";
import { loopContent } from "../../test/fixtures/aws_files_writer.ts";

const writer = new URL("../../test/fixtures/aws_files_writer.ts", import.meta.url).pathname;

/** Both files as the layer reads them, parsed. */
async function readProfileFiles(env: Env): Promise<ProfileFiles> {
  const [config, credentials] = await Promise.all([
    readAwsFile("config", env),
    readAwsFile("credentials", env),
  ]);
  return parseProfileFiles({ config, credentials });
}

function envOf(vars: Record<string, string>): Env {
  return vars;
}

/** A temporary HOME with no ~/.aws yet. */
async function tempHome(): Promise<{ home: string; env: Env; dispose(): Promise<void> }> {
  const home = await Deno.makeTempDir({ prefix: "stc-home-" });
  return {
    home,
    env: envOf({ HOME: home }),
    dispose: () => Deno.remove(home, { recursive: true }),
  };
}

const mode = async (path: string) => (await Deno.stat(path)).mode! & 0o777;

Deno.test("awsPaths honours HOME, the AWS_* overrides, ~ expansion and empty values", () => {
  assert.deepEqual(awsPaths(envOf({ HOME: "/h" })), {
    config: "/h/.aws/config",
    credentials: "/h/.aws/credentials",
  });
  assert.deepEqual(
    awsPaths(envOf({
      HOME: "/h",
      AWS_CONFIG_FILE: "~/cfg",
      AWS_SHARED_CREDENTIALS_FILE: "/abs/creds",
    })),
    { config: "/h/cfg", credentials: "/abs/creds" },
  );
  assert.equal(awsPaths(envOf({ HOME: "/h", AWS_CONFIG_FILE: "" })).config, "/h/.aws/config");
  assert.equal(
    awsPaths(envOf({ HOME: "/h", AWS_CONFIG_FILE: "rel/cfg" })).config,
    `${Deno.cwd()}/rel/cfg`,
  );
});

Deno.test("missing files read as empty", async () => {
  const t = await tempHome();
  try {
    assert.equal(await readAwsFile("config", t.env), "");
    const files = await readProfileFiles(t.env);
    assert.deepEqual(Object.keys(files.profiles), []);
  } finally {
    await t.dispose();
  }
});

Deno.test("first write creates ~/.aws 0700, credentials 0600 and config 0600", async () => {
  const t = await tempHome();
  try {
    assert.equal(
      await updateProfile("credentials", "dev", { ["aws_access_key_id"]: "AKIA1" }, t.env),
      true,
    );
    assert.equal(await updateProfile("config", "dev", { ["region"]: "eu-west-1" }, t.env), true);
    assert.equal(await mode(`${t.home}/.aws`), 0o700);
    assert.equal(await mode(`${t.home}/.aws/credentials`), 0o600);
    assert.equal(await mode(`${t.home}/.aws/config`), 0o600);
    assert.equal(
      await Deno.readTextFile(`${t.home}/.aws/credentials`),
      "[dev]\naws_access_key_id = AKIA1\n",
    );
    assert.equal(
      await Deno.readTextFile(`${t.home}/.aws/config`),
      "[profile dev]\nregion = eu-west-1\n",
    );
    const files = await readProfileFiles(t.env);
    assert.deepEqual({ ...files.profiles.dev }, {
      region: "eu-west-1",
      aws_access_key_id: "AKIA1",
    });
  } finally {
    await t.dispose();
  }
});

Deno.test("credentials are forced to 0600; an existing config keeps its mode", async () => {
  const t = await tempHome();
  try {
    await Deno.mkdir(`${t.home}/.aws`, { mode: 0o755 });
    await Deno.writeTextFile(`${t.home}/.aws/credentials`, "[a]\nx = 1\n", { mode: 0o644 });
    await Deno.chmod(`${t.home}/.aws/credentials`, 0o644);
    await Deno.writeTextFile(`${t.home}/.aws/config`, "[profile a]\nx = 1\n");
    await Deno.chmod(`${t.home}/.aws/config`, 0o640);
    await updateProfile("credentials", "a", { ["y"]: "2" }, t.env);
    await updateProfile("config", "a", { ["y"]: "2" }, t.env);
    assert.equal(await mode(`${t.home}/.aws/credentials`), 0o600);
    assert.equal(await mode(`${t.home}/.aws/config`), 0o640);
    assert.equal(await mode(`${t.home}/.aws`), 0o755, "an existing directory is left alone");
  } finally {
    await t.dispose();
  }
});

Deno.test("edits preserve every other byte, CRLF and a missing final newline", async () => {
  const t = await tempHome();
  try {
    const path = `${t.home}/.aws/config`;
    await Deno.mkdir(`${t.home}/.aws`);
    const text = "; header comment\r\n[default]\r\nregion = us-east-1 # keep\r\n\r\n" +
      "[profile dev]\r\ns3 =\r\n  addressing_style = path\r\nunknown_key = ☃\r\n[sso-session x]\r\nsso_region = a";
    await Deno.writeTextFile(path, text);
    await updateProfile("config", "dev", { ["region"]: "eu-west-1" }, t.env);
    await updateProfile("config", "default", { ["region"]: "eu-north-1" }, t.env);
    assert.equal(
      await Deno.readTextFile(path),
      "; header comment\r\n[default]\r\nregion = eu-north-1 # keep\r\n\r\n" +
        "[profile dev]\r\ns3 =\r\n  addressing_style = path\r\nunknown_key = ☃\r\nregion = eu-west-1\r\n" +
        "[sso-session x]\r\nsso_region = a",
    );
    await updateProfile("config", "dev", { ["region"]: null }, t.env);
    await updateProfile("config", "default", { ["region"]: "us-east-1" }, t.env);
    assert.equal(await Deno.readTextFile(path), text);
  } finally {
    await t.dispose();
  }
});

Deno.test("an unchanged result is not written; a failing or invalid edit writes nothing", async () => {
  const t = await tempHome();
  try {
    await updateProfile("credentials", "a", { ["k"]: "v" }, t.env);
    const path = `${t.home}/.aws/credentials`;
    const before = await Deno.stat(path);
    assert.equal(await updateProfile("credentials", "a", { ["k"]: "v" }, t.env), false);
    assert.equal(await updateProfile("credentials", "a", { ["nope"]: null }, t.env), false);
    await assert.rejects(() =>
      editAwsFile("credentials", () => {
        throw new Error("no");
      }, t.env)
    );
    await assert.rejects(
      () => editAwsFile("credentials", (s) => s + "\n -orphan\n[x", t.env),
      /must end with/,
    );
    await assert.rejects(
      () => updateProfile("credentials", "a", { ["k"]: "v\nx = y" }, t.env),
      /newline/,
    );
    const after = await Deno.stat(path);
    assert.equal(after.ino, before.ino, "file was not replaced");
    assert.equal(await Deno.readTextFile(path), "[a]\nk = v\n");
    const stray = (await Array.fromAsync(Deno.readDir(`${t.home}/.aws`))).filter((e) =>
      e.name.includes(TEMP_INFIX)
    );
    assert.deepEqual(stray, []);
  } finally {
    await t.dispose();
  }
});

Deno.test("updateProfile applies several changes in one write; removeProfile drops sections", async () => {
  const t = await tempHome();
  try {
    await updateProfile("credentials", "s", {
      aws_access_key_id: "AKIA",
      aws_secret_access_key: "secret",
      aws_session_token: "token",
    }, t.env);
    await updateProfile("credentials", "s", { aws_session_token: null, expiration: "x" }, t.env);
    assert.equal(
      await readAwsFile("credentials", t.env),
      "[s]\naws_access_key_id = AKIA\naws_secret_access_key = secret\nexpiration = x\n",
    );
    await Deno.writeTextFile(
      `${t.home}/.aws/config`,
      "[default]\na = 1\n[profile default]\nb = 2\n",
    );
    assert.equal(await removeProfile("config", "default", t.env), true);
    assert.equal(await readAwsFile("config", t.env), "");
  } finally {
    await t.dispose();
  }
});

Deno.test("updateProfiles edits several profiles in one write; an invalid change writes nothing", async () => {
  const t = await tempHome();
  try {
    const updates = mergeProfileUpdates(
      { work: { mfa_serial: "arn:aws:iam::1:mfa/a", region: "x" } },
      { default: { session_tool_default_profile: "work" } },
      { work: { region: "eu-north-1" } },
    );
    assert.deepEqual(updates, {
      work: { mfa_serial: "arn:aws:iam::1:mfa/a", region: "eu-north-1" },
      default: { session_tool_default_profile: "work" },
    });
    assert.equal(await updateProfiles("config", updates, t.env), true);
    const written = await readAwsFile("config", t.env);
    assert.equal(
      written,
      "[profile work]\nmfa_serial = arn:aws:iam::1:mfa/a\nregion = eu-north-1\n\n" +
        "[default]\nsession_tool_default_profile = work\n",
    );
    // One bad value fails the whole edit: the other profile's change does not land either.
    await assert.rejects(() =>
      updateProfiles("config", { other: { a: "1" }, work: { region: "bad\nvalue" } }, t.env)
    );
    assert.equal(await readAwsFile("config", t.env), written);
    assert.equal(await updateProfiles("config", {}, t.env), false);
  } finally {
    await t.dispose();
  }
});

Deno.test("editing through a symlinked credentials file keeps the link", async () => {
  const t = await tempHome();
  try {
    await Deno.mkdir(`${t.home}/.aws`);
    await Deno.mkdir(`${t.home}/dotfiles`);
    await Deno.writeTextFile(`${t.home}/dotfiles/creds`, "[a]\nk = 1\n");
    await Deno.symlink(`${t.home}/dotfiles/creds`, `${t.home}/.aws/credentials`);
    await updateProfile("credentials", "a", { ["k"]: "2" }, t.env);
    assert.ok((await Deno.lstat(`${t.home}/.aws/credentials`)).isSymlink);
    assert.equal(await Deno.readTextFile(`${t.home}/dotfiles/creds`), "[a]\nk = 2\n");
  } finally {
    await t.dispose();
  }
});

function writerCommand(file: string, args: string[], stdout: "piped" | "null" = "null") {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-write", "--allow-env", writer, ...args],
    env: { AWS_SHARED_CREDENTIALS_FILE: file },
    stdout,
    stderr: "piped",
  });
}

Deno.test("20 concurrent processes each setting a key: all 20 land", async () => {
  const t = await tempHome();
  try {
    const file = `${t.home}/.aws/credentials`;
    await updateProfile(
      "credentials",
      "shared",
      { initial: "yes" },
      envOf({ AWS_SHARED_CREDENTIALS_FILE: file }),
    );
    const results = await Promise.all(
      Array.from(
        { length: 20 },
        (_, i) => writerCommand(file, ["set", "shared", `key_${i}`, `value_${i}`]).output(),
      ),
    );
    for (const r of results) assert.equal(r.code, 0, new TextDecoder().decode(r.stderr));
    const profile =
      (await readProfileFiles(envOf({ AWS_SHARED_CREDENTIALS_FILE: file, HOME: t.home })))
        .profiles.shared;
    const expected: Record<string, string> = { initial: "yes" };
    for (let i = 0; i < 20; i++) expected[`key_${i}`] = `value_${i}`;
    assert.deepEqual({ ...profile }, expected);
    assert.equal(await mode(file), 0o600);
  } finally {
    await t.dispose();
  }
});

Deno.test("writers killed with SIGKILL never leave a torn file or a blocking lock", async () => {
  const t = await tempHome();
  try {
    const file = `${t.home}/.aws/credentials`;
    const env = envOf({ AWS_SHARED_CREDENTIALS_FILE: file, HOME: t.home });
    const size = 2_000_000;
    const a = loopContent("a", size);
    const b = loopContent("b", size);
    let killedMidRun = 0;
    for (let i = 0; i < 20; i++) {
      const child = writerCommand(file, ["loop", String(size)], "piped").spawn();
      const reader = child.stdout.getReader();
      const { value } = await reader.read();
      assert.equal(new TextDecoder().decode(value), "started\n");
      // Readers running alongside the writer only ever see A or B, never a partial file.
      const until = Date.now() + Math.random() * 60;
      do {
        const seen = await Deno.readTextFile(file);
        assert.ok(seen === a || seen === b, `iteration ${i}: reader saw ${seen.length} bytes`);
      } while (Date.now() < until);
      child.kill("SIGKILL");
      const status = await child.status;
      await reader.cancel();
      await child.stderr.cancel();
      if (status.signal === "SIGKILL") killedMidRun++;
      const text = await Deno.readTextFile(file);
      assert.ok(text === a || text === b, `iteration ${i}: torn file (${text.length} bytes)`);
      assert.equal(await mode(file), 0o600);
      // The dead writer's lock is free (the kernel drops flocks of dead processes): taking it does not time out.
      await withLock(file, () => {}, { timeoutMs: 2000 });
    }
    assert.equal(killedMidRun, 20);
    // Leftover temp files of killed writers are never read as the file, and the next writer works.
    const files = await readProfileFiles(env);
    assert.ok(["a", "b"].includes(files.profiles.default.which));
    // Temp files of killed writers may remain; the next edit sweeps those older than a minute.
    const temps = async () =>
      (await Array.fromAsync(Deno.readDir(`${t.home}/.aws`))).filter((e) =>
        e.name.includes(TEMP_INFIX)
      );
    const old = new Date(Date.now() - 120_000);
    for (const e of await temps()) await Deno.utime(`${t.home}/.aws/${e.name}`, old, old);
    await Deno.writeTextFile(`${t.home}/.aws/.credentials${TEMP_INFIX}1-old`, "junk");
    await Deno.utime(`${t.home}/.aws/.credentials${TEMP_INFIX}1-old`, old, old);
    assert.equal(await updateProfile("credentials", "default", { ["which"]: "c" }, env), true);
    assert.deepEqual(await temps(), []);
    assert.equal((await readProfileFiles(env)).profiles.default.which, "c");
  } finally {
    await t.dispose();
  }
});

const KEY = "AKIAIOSFODNN7EXAMPLE";
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

Deno.test("updateKeyAndConfig writes both files and leaves no record; an invalid value writes neither", async () => {
  const t = await tempHome();
  try {
    const update = {
      profile: "t",
      credentials: { aws_access_key_id: KEY, aws_secret_access_key: SECRET },
      config: { t: { "session-tool_bucketname": "acme-roles" } },
    };
    await updateKeyAndConfig(update, t.env);
    const files = await readProfileFiles(t.env);
    assert.equal(files.profiles.t.aws_access_key_id, KEY);
    assert.equal(files.profiles.t["session-tool_bucketname"], "acme-roles");
    const names = [...Deno.readDirSync(`${t.home}/.aws`)].map((e) => e.name);
    assert.ok(!names.includes("credentials.stc-pending"), names.join(" "));

    const before = [await readAwsFile("config", t.env), await readAwsFile("credentials", t.env)];
    await assert.rejects(
      () =>
        updateKeyAndConfig({
          ...update,
          credentials: { ...update.credentials, aws_access_key_id: "AKIAOTHEREXAMPLEKEY1" },
          config: { t: { "session-tool_bucketname": "my bucket #1" } },
        }, t.env),
      (e) => e instanceof StcError && /^cannot update .*\/config: /.test(e.message),
    );
    assert.deepEqual(
      [await readAwsFile("config", t.env), await readAwsFile("credentials", t.env)],
      before,
    );
  } finally {
    await t.dispose();
  }
});

Deno.test("completePendingUpdate applies a record whose key landed, and drops any other record", async () => {
  const t = await tempHome();
  try {
    const pending = `${t.home}/.aws/credentials.stc-pending`;
    await updateProfile("credentials", "t", { aws_access_key_id: KEY }, t.env);
    const config = "[default]\nregion = eu-west-1\n";
    await Deno.writeTextFile(`${t.home}/.aws/config`, config);
    const record = (accessKeyId: string, changes: unknown) =>
      JSON.stringify({ profile: "t", accessKeyId, config: changes });
    const dropped = [
      "",
      "not json",
      "null",
      JSON.stringify({ profile: "t" }),
      record(KEY, { t: "x" }),
      record(KEY, { t: { k: 1 } }),
      record(KEY, { "bad name]": { k: "v" } }),
      record(KEY, { t: { "session-tool_bucketname": "a #b" } }),
      record("AKIAOTHEREXAMPLEKEY1", { t: { "session-tool_bucketname": "acme-roles" } }),
    ];
    for (const text of dropped) {
      await Deno.writeTextFile(pending, text);
      assert.equal(await completePendingUpdate(t.env), false, text);
      assert.equal(await readAwsFile("config", t.env), config, text);
      await assert.rejects(() => Deno.stat(pending), Deno.errors.NotFound);
    }
    await Deno.writeTextFile(
      pending,
      record(KEY, { t: { "session-tool_bucketname": "acme-roles" } }),
    );
    assert.equal(await completePendingUpdate(t.env), true);
    assert.match(
      await readAwsFile("config", t.env),
      /\[profile t\]\nsession-tool_bucketname = acme-roles\n/,
    );
    await assert.rejects(() => Deno.stat(pending), Deno.errors.NotFound);
    assert.equal(await completePendingUpdate(t.env), false, "nothing to do");
  } finally {
    await t.dispose();
  }
});
