// A small, realistic portal for tests and screenshots that look at every page: a manual-approval
// product with a proxy and an OpenAPI document, the developer's app subscribed to it (pending) and
// to the Echo API, a team with an app and a pending invitation, and browser sessions for the seeded users without going through the login page.
import { randomBytes } from "node:crypto";
import type { BrowserContext, Page } from "@playwright/test";
import { createDatabaseClient } from "../../lib/db/client.ts";
import { gatehouseDatabaseFile } from "./portal.ts";
import { signIn } from "./sign-in.ts";

export interface PortalFixtures {
  slug: string;
  productId: string;
  proxyId: string;
  appId: string;
  clientId: string;
  [name: string]: string;
}

type Call = <T = any>(method: string, path: string, body?: unknown) => Promise<T>; // eslint-disable-line @typescript-eslint/no-explicit-any

function caller(url: string, cookie: string): Call {
  return async (method, path, body) => {
    const res = await fetch(`${url}/api/v1${path}`, {
      method,
      headers: { cookie, origin: url, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
}

const WEATHER_OPENAPI = JSON.stringify({
  openapi: "3.0.3",
  info: { title: "Weather API", version: "1.0.0", description: "Forecasts and observations for any place on earth." },
  paths: {
    "/forecast": {
      get: {
        summary: "The forecast for a place",
        parameters: [{ name: "place", in: "query", required: true, schema: { type: "string" }, example: "Lisbon" }],
        responses: { "200": { description: "Hourly forecast for the next 48 hours" } },
      },
    },
    "/observations/{station}": {
      get: {
        summary: "The latest observation of a station",
        parameters: [{ name: "station", in: "path", required: true, schema: { type: "string" } }],
        responses: { "200": { description: "Temperature, wind and pressure" }, "404": { description: "No such station" } },
      },
    },
  },
});

export interface SeededUser {
  login: string;
  password: string;
}

/** Creates the fixtures through the management API; returns their ids and the users' cookies. */
export async function seedPortalFixtures(url: string, users: { admin: SeededUser; developer: SeededUser }) {
  const adminCookie = (await signIn(url, users.admin.login, users.admin.password)).cookie;
  const developerCookie = (await signIn(url, users.developer.login, users.developer.password)).cookie;
  const admin = caller(url, adminCookie);
  const developer = caller(url, developerCookie);
  const tag = randomBytes(3).toString("hex");
  const product = await admin<{ id: string; slug: string }>("POST", "/products", {
    slug: `weather-${tag}`,
    name: "Weather API",
    description: "Forecasts and observations for any place on earth. Partners are approved within a working day.",
    scopes: ["weather:read", "weather:alerts"],
    scopeDescriptions: { "weather:read": "Read forecasts and observations", "weather:alerts": "Receive severe-weather alerts" },
    featured: true,
    approvalType: "manual",
    quotaLimit: 10000,
    quotaIntervalSeconds: 86400,
  });
  const proxy = await admin<{ id: string }>("POST", "/proxies", {
    name: "Weather",
    basePath: `weather-${tag}`,
    version: "v1",
    targetUrl: "https://weather.example.com/api",
    openApiSpec: WEATHER_OPENAPI,
    productIds: [product.id],
  });
  const guide = await admin<{ slug: string }>("POST", "/guides", {
    slug: `weather-start-${tag}`,
    title: "Your first forecast",
    body: '## Before you start\n\nCreate an app with the **Weather API** and wait for approval.\n\n```sh\ncurl "$GATEHOUSE_URL/gateway/weather/v1/forecast?place=Lisbon"\n```\n\n| field | meaning |\n| --- | --- |\n| `temp` | degrees Celsius |\n',
    productId: product.id,
  });
  const created = await developer<{ app: { id: string }; credential: { clientId: string } }>("POST", "/apps", {
    name: "Travel planner",
    description: "Suggests trips from the weather where you are going.",
    redirectUris: ["http://127.0.0.1/callback"],
    products: ["echo", product.slug],
  });
  // a team of the developer's with an app, a pending invitation, and that invitation's page
  const team = await developer<{ id: string }>("POST", "/teams", { name: "Field crew" });
  await developer("POST", "/apps", { name: "Crew dashboard", teamId: team.id, products: ["echo"] });
  await developer("POST", `/teams/${team.id}/invitations`, { email: `guest-${tag}@example.com`, role: "viewer" });
  const fixtures: PortalFixtures = {
    slug: product.slug,
    productId: product.id,
    proxyId: proxy.id,
    appId: created.app.id,
    clientId: created.credential.clientId,
    guideSlug: guide.slug,
    teamId: team.id,
    invitationToken: await invitationToken(`guest-${tag}@example.com`),
  };
  return { fixtures, cookies: { admin: adminCookie, developer: developerCookie } };
}

/** The token of the invitation sent to `email`: only its email (the outbox event's accept link) carries it. */
async function invitationToken(email: string): Promise<string> {
  const db = createDatabaseClient({ kind: "sqlite", file: gatehouseDatabaseFile() });
  try {
    const event = await db.outboxEvent.findFirstOrThrow({ where: { type: "team.invitation", email } });
    return decodeURIComponent(new URL((JSON.parse(event.payload) as { acceptUrl: string }).acceptUrl).pathname.split("/").pop()!);
  } finally {
    await db.$disconnect();
  }
}

/** Puts a session cookie header (as sign-in.ts returns it) into a browser context. */
export async function addSessionCookies(context: BrowserContext, url: string, cookieHeader: string) {
  const cookies = cookieHeader
    .split(";")
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => {
      const eq = pair.indexOf("=");
      return { name: pair.slice(0, eq), value: pair.slice(eq + 1), url };
    });
  await context.addCookies(cookies);
}

/** Opens the consent page for the developer's app: /oauth/authorize → okta-dev's login page → consent. */
export async function openConsentPage(page: Page, url: string, user: SeededUser, clientId: string): Promise<string> {
  const authorize = new URL(`${url}/oauth/authorize`);
  const params = { response_type: "code", client_id: clientId, redirect_uri: "http://127.0.0.1:9/callback", scope: "echo:read echo:write", state: randomBytes(8).toString("hex") };
  for (const [k, v] of Object.entries(params)) authorize.searchParams.set(k, v);
  authorize.searchParams.set("code_challenge", randomBytes(32).toString("base64url"));
  authorize.searchParams.set("code_challenge_method", "S256");
  await page.goto(authorize.toString());
  if (new URL(page.url()).pathname !== "/oauth/consent") {
    await page.getByLabel("Username").fill(user.login);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((u) => u.pathname === "/oauth/consent");
  }
  return page.url();
}
