// No account enumeration: wherever someone names an email or a username, a known one and an
// unknown one get the same status, the same body and the same latency (within noise) — at
// portal self-registration, at okta-dev's Authentication API, and at the password grant in both
// of its modes. Against the real server (okta-dev embedded), attempts alternating known and
// unknown, each from an address of its own (TRUSTED_PROXIES) so that per-address limits and
// bot detection stay out of the measurement.
//
// Latency bound: |median(known) − median(unknown)| < max(20 ms, 30 % of the larger median).
// Medians of 10 ignore the few requests that a loaded, shared 2-core machine stalls; 20 ms is
// above the scheduling jitter seen there, and 30 % covers a slow moment hitting one side more
// often. A leak is far outside it: checking a password (scrypt) costs ~40–80 ms here, creating
// an account as much plus a file write, and skipping either shows as a gap of that size.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatehouse, type RunningGatehouse } from "../harness/gatehouse.ts";
import { apiCaller, readOktaSeed, seededSessions, type Caller } from "../harness/portal-setup.ts";
import { signIn } from "../harness/sign-in.ts";

const ROUNDS = 10;

interface Timed {
  status: number;
  body: string;
  ms: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The medians, and whether they are within the noise bound above. */
function compareLatency(known: Timed[], unknown: Timed[]) {
  const k = median(known.map((t) => t.ms));
  const u = median(unknown.map((t) => t.ms));
  const bound = Math.max(20, 0.3 * Math.max(k, u));
  return { known: Math.round(k), unknown: Math.round(u), difference: Math.round(Math.abs(k - u)), bound: Math.round(bound), similar: Math.abs(k - u) < bound };
}

async function timed(request: () => Promise<Response>): Promise<Timed> {
  const started = performance.now();
  const res = await request();
  const body = await res.text();
  return { status: res.status, body, ms: performance.now() - started };
}

describe("no account enumeration", () => {
  let gatehouse: RunningGatehouse;
  let api: ReturnType<typeof apiCaller>;
  let admin: Caller, developer: Caller;
  let oktaUrl: string;
  let address = 0;
  /** A fresh client address for each request. */
  const nextAddress = () => `198.18.${(++address >> 8) & 255}.${address & 255}`;
  /** Accounts that exist (created by the sign-up test), with their passwords. */
  const known: Array<{ email: string; password: string }> = [];
  const suffix = Date.now().toString(36);

  const signUp = (email: string, password: string, firstName: string) =>
    timed(() =>
      fetch(`${gatehouse.url}/api/v1/signup`, {
        method: "POST",
        headers: { origin: gatehouse.url, "content-type": "application/json", "x-forwarded-for": nextAddress() },
        body: JSON.stringify({ firstName, lastName: "Tester", email, password, acceptTerms: true }),
      }),
    );

  beforeAll(async () => {
    gatehouse = await startGatehouse({ TRUSTED_PROXIES: "127.0.0.1" });
    api = apiCaller(gatehouse);
    ({ admin, developer } = await seededSessions(gatehouse));
    const seed = readOktaSeed(gatehouse);
    ({ oktaUrl } = await signIn(gatehouse.url, seed.users.developer.login, seed.users.developer.password));
  }, 120_000);
  afterAll(() => gatehouse?.stop());

  it("self-registration: an email that already has an account gets the answer a new one gets, as fast", async () => {
    const fresh: Timed[] = [];
    const again: Timed[] = [];
    for (let i = -1; i < ROUNDS; i++) {
      const email = `enum-${suffix}-${i + 1}@example.com`;
      const password = `Tide-${suffix}-${i + 1}-Q7x`;
      const first = await signUp(email, password, "First");
      known.push({ email, password });
      // the same email again, by someone who does not know the password (a different one)
      const second = await signUp(email, `Other-${suffix}-${i + 1}-Z9q`, "Second");
      if (i < 0) continue; // warm-up round, not measured
      fresh.push(first);
      again.push(second);
    }
    expect(fresh.map((t) => t.status)).toEqual(Array(ROUNDS).fill(201));
    for (let i = 0; i < ROUNDS; i++) expect(again[i]!.body).toBe(fresh[i]!.body); // byte-identical: status and body
    expect(again.map((t) => t.status)).toEqual(fresh.map((t) => t.status));
    const latency = compareLatency(again, fresh);
    console.log("sign-up latency (ms)", latency);
    expect(latency.similar, JSON.stringify(latency)).toBe(true);
    // the account that existed keeps its own password: the second sign-up changed nothing
    const authn = await fetch(`${oktaUrl}/api/v1/authn`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: known[1]!.email, password: known[1]!.password }),
    });
    expect(((await authn.json()) as { status: string }).status).toBe("SUCCESS");
  });

  it("okta-dev /api/v1/authn: a wrong password and an unknown user get the same answer, as fast", async () => {
    expect(known.length).toBeGreaterThan(ROUNDS);
    const authn = (username: string) =>
      timed(() =>
        fetch(`${oktaUrl}/api/v1/authn`, {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json" },
          body: JSON.stringify({ username, password: "Wrong-Password-1" }),
        }),
      );
    const wrong: Timed[] = [];
    const unknown: Timed[] = [];
    for (let i = 0; i <= ROUNDS; i++) {
      const a = await authn(known[i]!.email);
      const b = await authn(`nobody-${suffix}-${i}@example.com`);
      if (i === 0) continue; // warm-up
      wrong.push(a);
      unknown.push(b);
    }
    const withoutErrorId = (t: Timed) => t.body.replace(/"errorId":"[^"]*"/, '"errorId":"…"');
    expect(wrong[0]!.status).toBe(401);
    for (let i = 0; i < ROUNDS; i++) {
      expect(unknown[i]!.status).toBe(wrong[i]!.status);
      expect(withoutErrorId(unknown[i]!)).toBe(withoutErrorId(wrong[i]!)); // errorId is a fresh random id on every answer
    }
    const latency = compareLatency(wrong, unknown);
    console.log("okta-dev authn latency (ms)", latency);
    expect(latency.similar, JSON.stringify(latency)).toBe(true);
  });

  it.each(["okta_authn", "okta_token"])("password grant (%s): a wrong password and an unknown user get the same invalid_grant, as fast", async (mode) => {
    expect(known.length).toBeGreaterThan(ROUNDS);
    const created = await api(developer, "POST", "/apps", { name: `enum-${mode}`, products: ["echo"] });
    const { clientId, clientSecret } = created.json.credential as { clientId: string; clientSecret: string };
    expect((await api(admin, "PATCH", `/apps/${created.json.app.id}/settings`, { passwordGrantMode: mode })).status).toBe(200);
    const grant = (username: string, password: string) =>
      timed(() =>
        fetch(`${gatehouse.url}/oauth/token`, {
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`,
            "x-forwarded-for": nextAddress(),
          },
          body: new URLSearchParams({ grant_type: "password", username, password }),
        }),
      );
    expect((await grant(known[0]!.email, known[0]!.password)).status).toBe(200); // the grant works at all
    const wrong: Timed[] = [];
    const unknown: Timed[] = [];
    for (let i = 0; i <= ROUNDS; i++) {
      const a = await grant(known[i]!.email, "Wrong-Password-1");
      const b = await grant(`nobody-${mode}-${suffix}-${i}@example.com`, "Wrong-Password-1");
      if (i === 0) continue; // warm-up
      wrong.push(a);
      unknown.push(b);
    }
    expect(wrong[0]!.status).toBe(400);
    expect(JSON.parse(wrong[0]!.body).error).toBe("invalid_grant");
    for (let i = 0; i < ROUNDS; i++) {
      expect(unknown[i]!.status).toBe(wrong[i]!.status);
      expect(unknown[i]!.body).toBe(wrong[i]!.body);
    }
    const latency = compareLatency(wrong, unknown);
    console.log(`password grant ${mode} latency (ms)`, latency);
    expect(latency.similar, JSON.stringify(latency)).toBe(true);
  });
});
