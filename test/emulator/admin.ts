/**
 * The emulator's controls (clock, faults, TOTP, state inspection) and their JSON HTTP face under
 * `/__admin/`, for tests and tools in other processes.
 *
 * @module
 */

import type { FaultSpec, LoginRecord, RequestRecord } from "./state.ts";

/** A user's access key as seen by assertions (includes the secret: test fixture data only). */
export interface AccessKeyInfo {
  accessKeyId: string;
  secretAccessKey: string;
  status: "Active" | "Inactive";
  createDate: Date;
  /** When the key starts to authenticate (propagation delay). */
  usableFrom: Date;
  /** When it last authenticated a request (GetAccessKeyLastUsed); absent when never used. */
  lastUsed?: Date;
}

/** Everything a test can do to or read from a running emulator. */
export interface EmulatorControls {
  /** Current TOTP code of the user's (first) MFA device by the emulator clock, shifted by windows. */
  totp(userName: string, offsetWindows?: number): string;
  /** Serial number (ARN) of the user's first MFA device. */
  mfaSerial(userName: string): string;
  /** The emulator clock. */
  now(): Date;
  /** Moves the emulator clock forward (or back, if negative) by seconds. */
  advanceClock(seconds: number): void;
  /** Sets the emulator clock to wall clock + seconds. */
  setClockOffset(seconds: number): void;
  /**
   * Makes the next `count` calls of `action` fail (kinds `throttle`, `500`, `drop`, `error`), or
   * its next `count` credential answers carry chosen values (kind `credentials`). Throws for an
   * invalid fault.
   */
  injectFault(fault: FaultSpec): void;
  /** Removes all pending faults. */
  clearFaults(): void;
  /** Faults still pending. */
  faults(): FaultSpec[];
  /** Seconds (emulator clock) before a newly created access key authenticates. */
  setKeyPropagationDelay(seconds: number): void;
  /** The user's access keys. */
  accessKeys(userName: string): AccessKeyInfo[];
  /** An object's bytes, or `undefined`. */
  object(bucket: string, key: string): Uint8Array | undefined;
  /** Stores an object directly (test setup). */
  putObject(bucket: string, key: string, body: string | Uint8Array): void;
  /** The user's console password, or `undefined` without a login profile. */
  userPassword(userName: string): string | undefined;
  /** Console logins completed through the federation endpoint. */
  logins(): LoginRecord[];
  /** Authenticated calls received for an action (faulted ones included). */
  calls(action: string): number;
  /**
   * AWS requests received so far, in order of arrival: the authenticated ones, or every one
   * with `includeUnauthenticated` (unsigned, bad key, token, signature, expired, skewed).
   */
  requests(options?: RequestsOptions): RequestRecord[];
  /**
   * Holds back every answer to `action` (an API name, or `*` for all actions without a latency
   * of their own) by `ms` milliseconds, errors and dropped connections included. The action is
   * carried out at once; only its answer waits. `0` is an explicit "no delay". Answers already held
   * count their wait from when they were held: lowering the latency releases those held longer.
   */
  setLatency(action: string, ms: number): void;
  /** Removes every latency. */
  clearLatencies(): void;
  /** Latencies in force: action (or `*`) → ms. */
  latencies(): Record<string, number>;
  /**
   * When true, ListMFADevices without `UserName` fails as moto answers it: 404 NoSuchEntity
   * "The user with name None cannot be found." (default false: AWS lists the caller's devices).
   */
  setListMfaDevicesRequiresUserName(required: boolean): void;
}

/** Options of {@linkcode EmulatorControls.requests}. */
export interface RequestsOptions {
  /** Include requests that failed authentication. */
  includeUnauthenticated?: boolean;
}

function json(value: unknown, status = 200): Response {
  return new Response(JSON.stringify(value, null, 2) + "\n", {
    status,
    headers: { "content-type": "application/json" },
  });
}

async function body(req: Request): Promise<Record<string, unknown>> {
  const text = await req.text();
  if (text.trim() === "") return {};
  const parsed = JSON.parse(text);
  if (typeof parsed !== "object" || parsed === null) throw new Error("body must be a JSON object");
  return parsed;
}

function need(q: URLSearchParams, name: string): string {
  const v = q.get(name);
  if (v === null || v === "") throw new Error(`missing query parameter ${name}`);
  return v;
}

/**
 * Serves `/__admin/…`:
 * `GET clock`, `POST clock {advanceSeconds|offsetSeconds}`, `GET totp?user=U[&offset=N][&format=text]`,
 * `GET|POST|DELETE faults` (`POST {action, kind, count}`, plus `{status, code, message}` for
 * kind `error` and `{credentials}` for kind `credentials`), `POST key-propagation-delay {seconds}`,
 * `GET access-keys?user=U`, `GET object?bucket=B&key=K` (raw bytes), `GET password?user=U`,
 * `GET logins`, `GET calls?action=A`, `GET requests[?includeUnauthenticated=true]`,
 * `GET|POST|DELETE latency` (`POST {action, ms}`), `POST list-mfa-devices-requires-user-name
 * {required}`, `GET health`.
 */
export async function handleAdmin(c: EmulatorControls, req: Request, url: URL): Promise<Response> {
  const route = `${req.method} ${url.pathname.slice("/__admin/".length)}`;
  const q = url.searchParams;
  try {
    switch (route) {
      case "GET health":
        return json({ ok: true });
      case "GET clock":
        return json({
          now: c.now().toISOString(),
          offsetSeconds: (c.now().getTime() - Date.now()) / 1000,
        });
      case "POST clock": {
        const b = await body(req);
        if (typeof b.offsetSeconds === "number") c.setClockOffset(b.offsetSeconds);
        else if (typeof b.advanceSeconds === "number") c.advanceClock(b.advanceSeconds);
        else throw new Error("expected {offsetSeconds} or {advanceSeconds}");
        return json({ now: c.now().toISOString() });
      }
      case "GET totp": {
        const user = need(q, "user");
        const code = c.totp(user, Number(q.get("offset") ?? "0"));
        if (q.get("format") === "text") {
          return new Response(code + "\n", { headers: { "content-type": "text/plain" } });
        }
        return json({ user, serialNumber: c.mfaSerial(user), code });
      }
      case "GET faults":
        return json(c.faults());
      case "POST faults": {
        // The emulator validates the fault (kind, count, error and credentials fields).
        const b = await body(req);
        c.injectFault({ ...b, count: Number(b.count ?? 1) } as unknown as FaultSpec);
        return json(c.faults());
      }
      case "DELETE faults":
        c.clearFaults();
        return json([]);
      case "POST key-propagation-delay": {
        const b = await body(req);
        if (typeof b.seconds !== "number") throw new Error("expected {seconds}");
        c.setKeyPropagationDelay(b.seconds);
        return json({ seconds: b.seconds });
      }
      case "GET access-keys":
        return json(c.accessKeys(need(q, "user")));
      case "GET object": {
        const data = c.object(need(q, "bucket"), need(q, "key"));
        if (!data) return json({ error: "no such object" }, 404);
        return new Response(data.slice(), {
          headers: { "content-type": "application/octet-stream" },
        });
      }
      case "GET password":
        return json({ user: need(q, "user"), password: c.userPassword(need(q, "user")) ?? null });
      case "GET logins":
        return json(c.logins());
      case "GET requests":
        return json(
          c.requests({ includeUnauthenticated: q.get("includeUnauthenticated") === "true" }),
        );
      case "GET latency":
        return json(c.latencies());
      case "POST latency": {
        const b = await body(req);
        if (typeof b.action !== "string" || typeof b.ms !== "number") {
          throw new Error("expected {action, ms}");
        }
        c.setLatency(b.action, b.ms);
        return json(c.latencies());
      }
      case "POST list-mfa-devices-requires-user-name": {
        const b = await body(req);
        if (typeof b.required !== "boolean") throw new Error("expected {required: boolean}");
        c.setListMfaDevicesRequiresUserName(b.required);
        return json({ required: b.required });
      }
      case "DELETE latency":
        c.clearLatencies();
        return json({});
      case "GET calls":
        return json({ action: need(q, "action"), calls: c.calls(need(q, "action")) });
      default:
        return json({ error: `unknown admin route ${route}` }, 404);
    }
  } catch (e) {
    return json({ error: (e as Error).message }, 400);
  }
}
