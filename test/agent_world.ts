/**
 * Test support: a world whose commands share a session agent of their own (its socket in a private temporary
 * directory), stopped and removed when disposed.
 *
 * @module
 */

import assert from "node:assert/strict";
import { runStc } from "./helpers.ts";
import { type World, world } from "./role_world.ts";

/** A world whose commands use a session agent of their own, stopped and removed on dispose. */
export interface AgentWorld extends World {
  /** The agent's socket. */
  socket: string;
  /** The environment of a fresh "terminal": no session variables, the agent on. */
  terminal(extra?: Record<string, string>): Record<string, string>;
  /** Gets an MFA session with `stc session` (handing it to the agent). */
  session(): Promise<void>;
}

/** Starts an emulator, a HOME and an agent socket path (the agent starts with the first session). */
export async function agentWorld(): Promise<AgentWorld & AsyncDisposable> {
  const w = await world();
  const dir = await Deno.makeTempDir({ prefix: "stc-agent-" });
  const socket = `${dir}/agent.sock`;
  const terminal = (extra: Record<string, string> = {}) => ({
    ...w.env,
    STC_AGENT: "on",
    STC_AGENT_SOCKET: socket,
    ...extra,
  });
  return {
    ...w,
    socket,
    terminal,
    async session() {
      w.emulator.advanceClock(90);
      const result = await runStc(["session", w.emulator.totp("alice")], { env: terminal() });
      assert.equal(result.code, 0, result.stderr);
    },
    async [Symbol.asyncDispose]() {
      await runStc(["session", "-c", "--all"], { env: terminal() });
      await Deno.remove(dir, { recursive: true });
      await w[Symbol.asyncDispose]();
    },
  };
}
