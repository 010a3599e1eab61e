// Shared set-up for whole-system tests: sessions for the seeded users and API helpers.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { RunningGatehouse } from "./gatehouse.ts";
import { signIn } from "./sign-in.ts";

export interface Caller {
  cookie?: string;
  bearer?: string;
}

export interface ApiAnswer {
  status: number;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
  headers: Headers;
}

export function apiCaller(gatehouse: RunningGatehouse) {
  return async (who: Caller | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer> => {
    const res = await fetch(`${gatehouse.url}/api/v1${path}`, {
      method,
      redirect: "manual",
      headers: {
        origin: gatehouse.url,
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...(who?.cookie ? { cookie: who.cookie } : {}),
        ...(who?.bearer ? { authorization: `Bearer ${who.bearer}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    return { status: res.status, json, text, headers: res.headers };
  };
}

export function readOktaSeed(gatehouse: RunningGatehouse) {
  return JSON.parse(readFileSync(join(gatehouse.dataDir, "okta-dev", "seed.json"), "utf8"));
}

/** okta-dev's management APIs (Users, client registration) with its SSWS API token, as Okta's own. */
export function oktaManagement(oktaUrl: string, apiToken: string) {
  return (method: string, path: string, body?: unknown) =>
    fetch(`${oktaUrl}${path}`, {
      method,
      headers: { authorization: `SSWS ${apiToken}`, accept: "application/json", ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
}

export async function seededSessions(gatehouse: RunningGatehouse): Promise<{ admin: Caller; developer: Caller }> {
  const seed = readOktaSeed(gatehouse);
  const admin = await signIn(gatehouse.url, seed.users.admin.login, seed.users.admin.password);
  const developer = await signIn(gatehouse.url, seed.users.developer.login, seed.users.developer.password);
  return { admin: { cookie: admin.cookie }, developer: { cookie: developer.cookie } };
}
