// Test helpers for okta-dev's own suites: start an instance on a free port with a fresh temp
// data dir, and a few raw-HTTP helpers for the flows the client libraries don't cover.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startOktaDev, type OktaDev, type OktaDevOptions } from "./index.ts";

export const GATEHOUSE_URL = "http://gatehouse.test:3000";

export interface TestOrg extends OktaDev {
  dataDir: string;
  /** Stops the server and deletes the data dir. */
  destroy(): Promise<void>;
}

export async function startTestOrg(options: Partial<OktaDevOptions> = {}): Promise<TestOrg> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "okta-dev-test-"));
  const okta = await startOktaDev({ port: 0, dataDir, gatehouseUrl: GATEHOUSE_URL, log: () => {}, ...options });
  return {
    ...okta,
    dataDir,
    async stop() {
      await okta.stop();
      // Let clients notice the closed keep-alive sockets before anything reuses the port.
      await new Promise((resolve) => setTimeout(resolve, 50));
    },
    async destroy() {
      await okta.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function basicAuth(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString("base64")}`;
}

export async function tokenRequest(org: OktaDev, clientId: string, secret: string, params: Record<string, string>) {
  const res = await fetch(`${org.issuer}/v1/token`, {
    method: "POST",
    headers: { authorization: basicAuth(clientId, secret), "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(params),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

/** POST /api/v1/authn and return the sessionToken of a user without MFA. */
export async function sessionTokenFor(org: OktaDev, username: string, password: string): Promise<string> {
  const res = await fetch(`${org.url}/api/v1/authn`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ username, password }),
  });
  const body = (await res.json()) as { status: string; sessionToken?: string };
  if (body.status !== "SUCCESS" || !body.sessionToken) throw new Error(`authn answered ${res.status} ${body.status}`);
  return body.sessionToken;
}

export function decodeJwtPart(jwt: string, part: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split(".")[part], "base64url").toString("utf8")) as Record<string, unknown>;
}

/** A throw-away active user (via the Users API), so guessing its password disturbs no other test. */
export async function createTestUser(org: OktaDev): Promise<{ login: string; password: string }> {
  const login = `victim-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@okta-dev.local`;
  const password = "Victim-pass-123";
  const res = await fetch(`${org.url}/api/v1/users?activate=true`, {
    method: "POST",
    headers: { authorization: `SSWS ${org.seed.apiToken}`, "content-type": "application/json" },
    body: JSON.stringify({ profile: { firstName: "Vic", lastName: "Tim", email: login, login }, credentials: { password: { value: password } } }),
  });
  if (res.status !== 200) throw new Error(`creating ${login} answered ${res.status}`);
  return { login, password };
}
