// The SDK's browser helper in Chromium: a single-page app (served on a loopback origin, the SDK
// compiled by tsc and loaded as ES modules) sends the user through /oauth/authorize — okta-dev's
// login page, the consent page — and redeems the code itself, cross-origin, as a public client;
// with DPoP, its key lives in IndexedDB and the tokens are bound to it.
import { expect, test, type Page } from "@playwright/test";
import { EmbeddedJWK, calculateJwkThumbprint, jwtVerify, type JWK } from "jose";
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
// the same app with DPoP on: its key pair in IndexedDB (the SDK's default in a browser)
const dpopScript = (code: string) => `<script type="module">
import { GatehouseClient, IndexedDbDPoPKeyStore, beginAuthorization, completeAuthorization, createProof } from "/sdk/index.js";
const client = new GatehouseClient({ issuer: ${JSON.stringify(url())}, clientId: window.CLIENT_ID, dpop: true });
window.proofFor = async (method, target, accessToken, nonce) => createProof(await client.dpop.keyStore.load(), { method, url: target, accessToken, nonce });
${code}
</script>`;

/** Through okta-dev's login page (unless already signed in) and the consent page (unless already
 * given), back to the SPA's callback. */
async function signInAndConsent(tab: Page, callbackPath: string, problems: string[]): Promise<void> {
  const seed = JSON.parse(readFileSync(join(process.env.GATEHOUSE_DATA_DIR!, "okta-dev", "seed.json"), "utf8"));
  const back = (u: URL) => u.href.startsWith(spaOrigin + callbackPath);
  const consent = (u: URL) => u.pathname === "/oauth/consent";
  await tab
    .waitForURL((u) => u.pathname.includes("/login") || consent(u) || back(u), { timeout: 15_000 })
    .catch((error: Error) => {
      throw new Error(`${error.message}\nat ${tab.url()}\npage errors: ${problems.join(" | ")}`);
    });
  if (!consent(new URL(tab.url())) && !back(new URL(tab.url()))) {
    await expect(tab.getByTestId("okta-dev-badge")).toBeVisible();
    await tab.getByLabel("Username").fill(seed.users.developer.login);
    await tab.getByLabel("Password").fill(seed.users.developer.password);
    await tab.getByRole("button", { name: "Sign in" }).click();
    await tab.waitForURL((u) => consent(u) || back(u));
  }
  if (consent(new URL(tab.url()))) await tab.getByRole("button", { name: "Allow" }).click();
  await tab.waitForURL(back);
}

async function verifyProof(proof: string) {
  const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, { typ: "dpop+jwt", algorithms: ["ES256"] });
  return { claims: payload, thumbprint: await calculateJwkThumbprint(protectedHeader.jwk as JWK), jwk: protectedHeader.jwk };
}

test.beforeAll(async () => {
  const sdkDir = mkdtempSync(join(tmpdir(), "gatehouse-sdk-build-"));
  execFileSync(join(PROJECT_DIR, "node_modules", ".bin", "tsc"), ["-p", join(PROJECT_DIR, "sdk", "tsconfig.json"), "--outDir", sdkDir]);

  const seed = JSON.parse(readFileSync(join(process.env.GATEHOUSE_DATA_DIR!, "okta-dev", "seed.json"), "utf8"));
  const developer = await signIn(url(), seed.users.developer.login, seed.users.developer.password);
  const created = await fetch(`${url()}/api/v1/apps`, {
    method: "POST",
    headers: { origin: url(), cookie: developer.cookie, "content-type": "application/json" },
    body: JSON.stringify({ name: "SDK single-page app", type: "public", redirectUris: ["http://127.0.0.1/callback", "http://127.0.0.1/dpop-callback"], products: ["echo"] }),
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
    "/dpop-key": page(
      `<pre id="out">working</pre>${dpopScript(`
const thumbprint = await client.dpop.thumbprint();
const keys = await client.dpop.keyStore.load();
document.getElementById("out").textContent = JSON.stringify({
  inIndexedDb: client.dpop.keyStore instanceof IndexedDbDPoPKeyStore,
  thumbprint,
  privateExtractable: keys.privateKey.extractable,
  exportRefused: await Promise.all(["jwk", "pkcs8"].map((format) => crypto.subtle.exportKey(format, keys.privateKey).then(() => false, () => true))),
  proof: await client.dpop.proof("resource", "GET", "https://api.example.com/orders?page=2#x", "gth_at_example"),
});`)}`,
    ),
    "/dpop": page(
      `<pre id="jkt">working</pre><button id="sign-in">Sign in</button>${dpopScript(`
document.getElementById("jkt").textContent = await client.dpop.thumbprint();
document.getElementById("sign-in").onclick = async () => location.assign(await beginAuthorization(client, { redirectUri: location.origin + "/dpop-callback", scope: "echo:read" }));`)}`,
    ),
    "/dpop-callback": page(
      `<pre id="out">working</pre>${dpopScript(`
try {
  const tokens = await completeAuthorization(client, location.href);
  const refreshed = await client.refresh(tokens.refreshToken);
  document.getElementById("out").textContent = JSON.stringify({ tokens, refreshed, thumbprint: await client.dpop.thumbprint() });
} catch (error) {
  document.getElementById("out").textContent = JSON.stringify({ error: error.name, code: error.code, message: error.message });
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
  await signInAndConsent(tab, "/callback", problems);
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

test("the DPoP key pair lives in IndexedDB, survives reloads and new tabs, and its private key cannot be exported", async ({ page: tab, context }) => {
  await tab.goto(`${spaOrigin}/dpop-key`);
  await expect(tab.locator("#out")).not.toHaveText("working");
  const first = JSON.parse((await tab.locator("#out").textContent())!);
  expect(first).toMatchObject({ inIndexedDb: true, privateExtractable: false, exportRefused: [true, true] });
  const proof = await verifyProof(first.proof);
  expect(Object.keys(proof.jwk as object).sort()).toEqual(["crv", "kty", "x", "y"]);
  expect(proof.thumbprint).toBe(first.thumbprint);
  expect(proof.claims).toMatchObject({ htm: "GET", htu: "https://api.example.com/orders" });

  await tab.reload();
  await expect(tab.locator("#out")).not.toHaveText("working");
  const reloaded = JSON.parse((await tab.locator("#out").textContent())!);
  expect(reloaded.thumbprint).toBe(first.thumbprint);
  expect((await verifyProof(reloaded.proof)).claims.jti).not.toBe(proof.claims.jti);

  const other = await context.newPage();
  await other.goto(`${spaOrigin}/dpop-key`);
  await expect(other.locator("#out")).not.toHaveText("working");
  expect(JSON.parse((await other.locator("#out").textContent())!).thumbprint).toBe(first.thumbprint);
});

// Needs the server side of DPoP (RFC 9449 at /oauth/token and /oauth/userinfo, CORS preflight
// for the DPoP header): skipped while the server's metadata does not announce DPoP.
test("with DPoP, the code flow binds the tokens to the page's IndexedDB key across the redirect, and userinfo wants its proof", async ({ page: tab }) => {
  const metadata = (await (await fetch(`${url()}/.well-known/oauth-authorization-server`)).json()) as { dpop_signing_alg_values_supported?: string[] };
  test.skip(!metadata.dpop_signing_alg_values_supported?.includes("ES256"), "the server does not support DPoP yet");
  const seed = JSON.parse(readFileSync(join(process.env.GATEHOUSE_DATA_DIR!, "okta-dev", "seed.json"), "utf8"));
  const problems: string[] = [];
  tab.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  tab.on("pageerror", (e) => problems.push(e.message));

  await tab.goto(`${spaOrigin}/dpop`);
  await expect(tab.locator("#jkt")).not.toHaveText("working");
  const jktBefore = (await tab.locator("#jkt").textContent())!;
  const authorize = tab.waitForRequest((r) => r.url().includes("/oauth/authorize"));
  await tab.getByRole("button", { name: "Sign in" }).click();
  expect(new URL((await authorize).url()).searchParams.get("dpop_jkt")).toBe(jktBefore); // RFC 9449 §10
  await signInAndConsent(tab, "/dpop-callback", problems);

  await expect(tab.locator("#out")).not.toHaveText("working");
  const result = JSON.parse((await tab.locator("#out").textContent())!);
  expect(result.error, JSON.stringify(result) + problems.join(" | ")).toBeUndefined();
  expect(result.thumbprint).toBe(jktBefore); // the key came through the redirect
  expect(result.tokens).toMatchObject({ tokenType: "DPoP", accessToken: expect.stringMatching(/^gth_at_/), refreshToken: expect.stringMatching(/^gth_rt_/) });
  expect(result.refreshed).toMatchObject({ tokenType: "DPoP" }); // a public client's refresh token is bound too: the proof came from the same key
  const accessToken: string = result.refreshed.accessToken;
  const userinfo = `${url()}/oauth/userinfo`;

  // the bound token is no Bearer token
  const asBearer = await fetch(userinfo, { headers: { authorization: `Bearer ${accessToken}` } });
  expect(asBearer.status).toBe(401);
  // with a proof from the page's key (and the server's nonce, if it asks for one) it is
  let proof = await tab.evaluate(
    ([target, token]) => (window as unknown as { proofFor: (...a: unknown[]) => Promise<string> }).proofFor("GET", target, token),
    [userinfo, accessToken],
  );
  let answer = await fetch(userinfo, { headers: { authorization: `DPoP ${accessToken}`, dpop: proof } });
  const nonce = answer.headers.get("dpop-nonce");
  if (answer.status === 401 && nonce && /use_dpop_nonce/.test(answer.headers.get("www-authenticate") ?? "")) {
    proof = await tab.evaluate(
      ([target, token, n]) => (window as unknown as { proofFor: (...a: unknown[]) => Promise<string> }).proofFor("GET", target, token, n),
      [userinfo, accessToken, nonce],
    );
    answer = await fetch(userinfo, { headers: { authorization: `DPoP ${accessToken}`, dpop: proof } });
  }
  expect(answer.status).toBe(200);
  expect(((await answer.json()) as { sub: string }).sub).toBe(seed.users.developer.id);
  expect((await verifyProof(proof)).thumbprint).toBe(jktBefore);
});
