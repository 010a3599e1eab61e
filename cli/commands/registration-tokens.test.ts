import { describe, expect, it } from "vitest";
import { runCli } from "../run.ts";

async function cli(argv: string[], answer: unknown = {}) {
  const sent: Array<{ method: string; path: string; body?: BodyInit | null }> = [];
  let stdout = "";
  let stderr = "";
  const fakeFetch = (async (input: URL, init: RequestInit) => {
    sent.push({ method: init.method ?? "GET", path: new URL(input).pathname, body: init.body });
    return new Response(JSON.stringify(answer), { status: 200, headers: { "content-type": "application/json" } });
  }) as unknown as typeof fetch;
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { url: "http://gh.test", apiKey: "gth_ak_test" }, fetch: fakeFetch });
  return { code, stdout, stderr, sent };
}

describe("gatehouse registration-tokens", () => {
  it("creates a token with its limits and products, printing the token alone", async () => {
    const r = await cli(["registration-tokens", "create", "--label", "ci", "--expires-in-days", "7", "--max-registrations", "3", "--product", "echo,partner"], {
      id: "t1",
      label: "ci",
      token: "gth_iat_abc",
    });
    expect(r.code).toBe(0);
    expect(r.sent[0]).toMatchObject({ method: "POST", path: "/api/v1/initial-access-tokens" });
    expect(JSON.parse(r.sent[0]!.body as string)).toEqual({ label: "ci", expiresInDays: 7, maxRegistrations: 3, products: ["echo", "partner"] });
    expect(r.stdout.trim()).toBe("gth_iat_abc");
  });

  it("refuses a limit that is not a whole number before calling the API", async () => {
    const r = await cli(["registration-tokens", "create", "--label", "ci", "--max-registrations", "0"]);
    expect(r.code).not.toBe(0);
    expect(r.sent).toHaveLength(0);
  });

  it("revokes by id", async () => {
    const r = await cli(["registration-tokens", "revoke", "t1"]);
    expect(r.code).toBe(0);
    expect(r.sent[0]).toMatchObject({ method: "DELETE", path: "/api/v1/initial-access-tokens/t1" });
  });
});
