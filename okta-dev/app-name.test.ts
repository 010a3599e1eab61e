// The sign-in page names the app Gatehouse signs the user in for (gatehouse_app_name, sent
// only by Gatehouse's delegation client), escaped and shortened; other clients keep their name.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash, randomBytes } from "node:crypto";
import { signInHeading } from "./login-page.ts";
import { startTestOrg, type TestOrg } from "./test-support.ts";

let org: TestOrg;
beforeAll(async () => {
  org = await startTestOrg();
});
afterAll(() => org?.destroy());

/** The sign-in page's HTML for an authorization request of `client` carrying `extra`. */
async function signInPageFor(client: "portal" | "delegation", extra: Record<string, string>): Promise<string> {
  const { clientId, redirectUris } = org.seed.clients[client];
  const verifier = randomBytes(32).toString("base64url");
  const authorize = new URL(`${org.issuer}/v1/authorize`);
  authorize.search = new URLSearchParams({
    client_id: clientId,
    response_type: "code",
    scope: "openid",
    redirect_uri: redirectUris[0]!,
    state: "s",
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
    ...extra,
  }).toString();
  const started = await fetch(authorize, { redirect: "manual" });
  expect(started.status).toBe(303);
  const cookie = started.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
  const page = await fetch(new URL(started.headers.get("location")!, org.url), { headers: { cookie } });
  expect(page.status).toBe(200);
  return page.text();
}

const heading = (html: string) => /<h1 data-testid="sign-in-heading">([^<]*)<\/h1>/.exec(html)?.[1];

describe("the app's name on the sign-in page", () => {
  it("names the app for Gatehouse's delegation client, HTML-escaped", async () => {
    const html = await signInPageFor("delegation", { gatehouse_app_name: `Photo <b>printer</b> & "co"` });
    expect(heading(html)).toBe("Sign in to continue to Photo &lt;b&gt;printer&lt;/b&gt; &amp; &quot;co&quot;");
    expect(html).not.toContain("<b>printer</b>");
  });

  it("keeps the client's own name without the parameter, and for any other client", async () => {
    expect(heading(await signInPageFor("delegation", {}))).toBe("Sign in to Gatehouse OAuth delegation");
    expect(heading(await signInPageFor("portal", { gatehouse_app_name: "Spoofed app" }))).toBe("Sign in to Gatehouse portal");
  });

  it("shortens a long name to 80 characters and ignores a blank one", () => {
    const long = "x".repeat(200);
    expect(signInHeading("d", "Delegation", { gatehouse_app_name: long }, "d")).toBe(`Sign in to continue to ${"x".repeat(80)}`);
    expect(signInHeading("d", "Delegation", { gatehouse_app_name: "  \n " }, "d")).toBe("Sign in to Delegation");
    expect(signInHeading("d", "Delegation", { gatehouse_app_name: ["a", "b"] }, "d")).toBe("Sign in to Delegation");
  });
});
