// The SDK's browser helper in Chromium: a single-page app (served on a loopback origin, the SDK
// compiled by tsc and loaded as ES modules) sends the user through /oauth/authorize — okta-dev's
// login page, the consent page — and redeems the code itself, cross-origin, as a public client.
import { expect, test } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { signIn } from "../harness/sign-in.ts";
import { PROJECT_DIR } from "../harness/gatehouse.ts";

const url = () => process.env.GATEHOUSE_URL!;
let spa: Server;
let spaOrigin: string;
let clientId: string;

const page = (body: string) => `<!doctype html><meta charset="utf-8"><title>SPA</title>${body}`;
const script = (code: string) => `<script type="module">
import { GatehouseClient, beginAuthorization, completeAuthorization } from "/sdk/index.js";
const client = new GatehouseClient({ issuer: ${JSON.stringify(url())}, clientId: window.CLIENT_ID });
${code}
</script>`;

test.beforeAll(async () => {
  const sdkDir = mkdtempSync(join(tmpdir(), "gatehouse-sdk-build-"));
  execFileSync(join(PROJECT_DIR, "node_modules", ".bin", "tsc"), ["-p", join(PROJECT_DIR, "sdk", "tsconfig.json"), "--outDir", sdkDir]);

  const seed = JSON.parse(readFileSync(join(process.env.GATEHOUSE_DATA_DIR!, "okta-dev", "seed.json"), "utf8"));
  const developer = await signIn(url(), seed.users.developer.login, seed.users.developer.password);
  const created = await fetch(`${url()}/api/v1/apps`, {
    method: "POST",
    headers: { origin: url(), cookie: developer.cookie, "content-type": "application/json" },
    body: JSON.stringify({ name: "SDK single-page app", type: "public", redirectUris: ["http://127.0.0.1/callback"], products: ["echo"] }),
  });
  expect(created.status).toBe(201);
  clientId = ((await created.json()) as { credential: { clientId: string } }).credential.clientId;

  const pages: Record<string, string> = {
    "/": page(
      `<button id="sign-in">Sign in</button>${script(`document.getElementById("sign-in").onclick = async () => location.assign(await beginAuthorization(client, { redirectUri: location.origin + "/callback", scope: "echo:read" }));`)}`,
    ),
    "/callback": page(
      `<pre id="out">working</pre>${script(`
try {
  const tokens = await completeAuthorization(client, location.href);
  document.getElementById("out").textContent = JSON.stringify({ tokens, pendingLeft: sessionStorage.length });
} catch (error) {
  document.getElementById("out").textContent = JSON.stringify({ error: error.name, code: error.code });
}`)}`,
    ),
  };
  spa = createServer((req, res) => {
    const path = new URL(req.url!, "http://x").pathname;
    if (pages[path]) {
      res.writeHead(200, { "content-type": "text/html" }).end(pages[path]!.replace("<title>", `<script>window.CLIENT_ID=${JSON.stringify(clientId)}</script><title>`));
    } else if (path.startsWith("/sdk/") && extname(path) === ".js") {
      try {
        res.writeHead(200, { "content-type": "text/javascript" }).end(readFileSync(join(sdkDir, normalize(path.slice(5)).replace(/^(\.\.[/\\])+/, ""))));
      } catch {
        res.writeHead(404).end();
      }
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => spa.listen(0, "127.0.0.1", resolve));
  spaOrigin = `http://127.0.0.1:${(spa.address() as AddressInfo).port}`;
});
test.afterAll(() => new Promise<void>((resolve) => spa.close(() => resolve())));

test("the SDK's browser helper runs code + PKCE in a page and redeems the code cross-origin as a public client", async ({ page: tab }) => {
  const seed = JSON.parse(readFileSync(join(process.env.GATEHOUSE_DATA_DIR!, "okta-dev", "seed.json"), "utf8"));
  const problems: string[] = [];
  tab.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  tab.on("pageerror", (e) => problems.push(e.message));
  await tab.goto(`${spaOrigin}/`);
  await tab.getByRole("button", { name: "Sign in" }).click();

  await tab
    .waitForURL((u) => u.pathname.includes("/login") || u.pathname.includes("/oauth/consent") || u.href.startsWith(spaOrigin + "/callback"), { timeout: 15_000 })
    .catch((error: Error) => {
      throw new Error(`${error.message}\nat ${tab.url()}\npage errors: ${problems.join(" | ")}`);
    });
  if (!tab.url().includes("/oauth/consent") && !tab.url().startsWith(spaOrigin)) {
    await expect(tab.getByTestId("okta-dev-badge")).toBeVisible();
    await tab.getByLabel("Username").fill(seed.users.developer.login);
    await tab.getByLabel("Password").fill(seed.users.developer.password);
    await tab.getByRole("button", { name: "Sign in" }).click();
  }
  await tab.waitForURL((u) => u.pathname === "/oauth/consent");
  await tab.getByRole("button", { name: "Allow" }).click();

  await tab.waitForURL((u) => u.href.startsWith(`${spaOrigin}/callback`));
  const landed = new URL(tab.url());
  expect(landed.searchParams.get("iss")).toBe(url());
  await expect(tab.locator("#out")).not.toHaveText("working");
  const result = JSON.parse((await tab.locator("#out").textContent())!);
  expect(result.error).toBeUndefined();
  expect(result.pendingLeft).toBe(0); // the pending state and verifier are used once
  expect(result.tokens.accessToken).toMatch(/^gth_at_/);
  expect(result.tokens.refreshToken).toMatch(/^gth_rt_/);
  const userinfo = await fetch(`${url()}/oauth/userinfo`, { headers: { authorization: `Bearer ${result.tokens.accessToken}` } });
  expect(((await userinfo.json()) as { sub: string }).sub).toBe(seed.users.developer.id);

  // a replayed callback (reload) finds no pending request: refused before any code is sent
  await tab.reload();
  await expect(tab.locator("#out")).not.toHaveText("working");
  expect(JSON.parse((await tab.locator("#out").textContent())!)).toEqual({ error: "ProtocolError", code: "state_mismatch" });
});
