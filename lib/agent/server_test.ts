import assert from "node:assert/strict";
import { emptyState, handleRequest, pruneExpired, serveAgent } from "./server.ts";
import { agentCall } from "./client.ts";
import type { SessionRecord } from "../session/variables.ts";

function session(profile: string, expiration: Date): SessionRecord {
  return {
    profile,
    accessKeyId: "ASIAEXAMPLEEXAMPLE01",
    secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYAGENTTEST1",
    sessionToken: "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ",
    expiration: expiration.toISOString(),
    userArn: `arn:aws:iam::111111111111:user/${profile}`,
    userName: profile,
  };
}

Deno.test("agent state: sessions by profile, the last one by default, expiry drops them and their roles", () => {
  const state = emptyState();
  const t0 = Date.parse("2026-01-01T00:00:00Z");
  handleRequest(state, { op: "put-session", session: session("a", new Date(t0 + 1000)) }, t0, 1);
  handleRequest(state, { op: "put-session", session: session("b", new Date(t0 + 5000)) }, t0, 1);
  const credentials = {
    accessKeyId: "ASIAROLE",
    secretAccessKey: "s",
    sessionToken: "t",
    expiration: new Date(t0 + 3000).toISOString(),
  };
  handleRequest(state, { op: "put-role", key: "k", profile: "a", credentials }, t0, 1);
  const last = handleRequest(state, { op: "get-session" }, t0, 1).response;
  assert.equal("session" in last && last.session?.profile, "b");
  const a = handleRequest(state, { op: "get-session", profile: "a" }, t0, 1).response;
  assert.equal("session" in a && a.session?.profile, "a");
  const status = handleRequest(state, { op: "status" }, t0, 7).response;
  assert.ok("sessions" in status);
  assert.deepEqual(status.sessions.map((s) => [s.profile, s.roles]), [["a", 1], ["b", 0]]);
  assert.ok(!JSON.stringify(status).includes("wJalrXUtnFEMI"), "status holds no secret");
  assert.equal(pruneExpired(state, t0 + 2000), t0 + 3000);
  assert.equal(state.sessions.has("a"), false);
  assert.equal(pruneExpired(state, t0 + 4000), t0 + 5000);
  assert.equal(state.roles.size, 0);
  assert.equal(pruneExpired(state, t0 + 6000), undefined);
  const forget = handleRequest(state, { op: "forget-all" }, t0, 1);
  assert.equal(forget.exit, true);
});

Deno.test("agent: exits by itself when it holds nothing, and when its last session expires", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/agent.sock`;
  try {
    // Nothing handed over: it exits after the start grace and removes its socket.
    await serveAgent(path, { idleStartMs: 10 });
    assert.equal(await Deno.lstat(path).catch(() => undefined), undefined);

    let ready!: () => void;
    const listening = new Promise<void>((resolve) => ready = resolve);
    const served = serveAgent(path, { idleStartMs: 60_000, onReady: ready });
    await listening;
    const env = { STC_AGENT_SOCKET: path };
    await agentCall(env, { op: "put-session", session: session("a", new Date(Date.now() + 200)) });
    // The start grace is a minute; the agent ends when the session does.
    await served;
    assert.equal(await agentCall(env, { op: "ping" }), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("agent leases: one caller renews a role, the others wait for its result or its release", async () => {
  const state = emptyState();
  const t0 = Date.parse("2026-01-01T00:00:00Z");
  const credentials = {
    accessKeyId: "ASIAROLE",
    secretAccessKey: "s",
    sessionToken: "t",
    expiration: new Date(t0 + 3600_000).toISOString(),
  };
  const first = handleRequest(
    state,
    { op: "get-role", key: "k", minSeconds: 300, lease: true },
    t0,
    1,
  );
  assert.deepEqual(first.response, { v: 1, ok: true, credentials: null, lease: true });
  const second = handleRequest(
    state,
    { op: "get-role", key: "k", minSeconds: 300, lease: true },
    t0,
    1,
  );
  assert.ok(second.wait, "a second caller waits");
  handleRequest(state, { op: "put-role", key: "k", profile: "a", credentials }, t0, 1);
  assert.deepEqual(await second.wait, { v: 1, ok: true, credentials });
  // Fresh credentials are answered at once; near their end they are renewed (a new lease).
  const cached = handleRequest(
    state,
    { op: "get-role", key: "k", minSeconds: 300, lease: true },
    t0,
    1,
  );
  assert.deepEqual(cached.response, { v: 1, ok: true, credentials });
  const late = t0 + 3600_000 - 200_000;
  const renew = handleRequest(
    state,
    { op: "get-role", key: "k", minSeconds: 300, lease: true },
    late,
    1,
  );
  assert.equal("lease" in renew.response && renew.response.lease, true);
  const waiting = handleRequest(
    state,
    { op: "get-role", key: "k", minSeconds: 300, lease: true },
    late,
    1,
  );
  handleRequest(state, { op: "release-role", key: "k" }, late, 1);
  assert.deepEqual(await waiting.wait, { v: 1, ok: true, credentials: null });
  // A lease that ran out is taken over.
  handleRequest(state, { op: "get-role", key: "x", lease: true }, t0, 1);
  const takeover = handleRequest(state, { op: "get-role", key: "x", lease: true }, t0 + 31_000, 1);
  assert.equal("lease" in takeover.response && takeover.response.lease, true);
});
