import { describe, expect, it } from "vitest";
import { cli, json } from "../test-runner.ts";

const credential = (overrides: object = {}) => ({
  id: "c1",
  clientId: "gth_ci_old",
  secretHint: "…abcd",
  status: "active",
  expiresAt: null,
  createdAt: "2030-01-01T00:00:00.000Z",
  revokedAt: null,
  ...overrides,
});

describe("apps renew-credential", () => {
  it("posts the grace period and shows the new secret once and when the old credential stops", async () => {
    const r = await cli(["apps", "renew-credential", "a1", "c1", "--grace-days", "7"], () =>
      json(
        {
          credential: { ...credential({ id: "c2", clientId: "gth_ci_new" }), clientSecret: "gth_cs_secret" },
          replaced: credential({ replacedById: "c2", graceEndsAt: "2030-01-08T00:00:00.000Z" }),
        },
        201,
      ),
    );
    expect(r.code).toBe(0);
    expect(r.calls[0]).toMatchObject({ method: "POST", body: { graceDays: 7 } });
    expect(r.calls[0]!.url.pathname).toBe("/api/v1/apps/a1/credentials/c1/renew");
    expect(r.stdout).toContain("gth_cs_secret");
    expect(r.stdout).toContain("works until 2030-01-08T00:00:00.000Z");
  });

  it("needs --grace-days as a whole number", async () => {
    expect((await cli(["apps", "renew-credential", "a1", "c1"], () => json({}))).code).not.toBe(0);
    const bad = await cli(["apps", "renew-credential", "a1", "c1", "--grace-days", "soon"], () => json({}));
    expect(bad.code).not.toBe(0);
    expect(bad.calls).toHaveLength(0);
  });
});

describe("apps restrict-credential", () => {
  it("sends comma-separated lists; none clears one", async () => {
    const r = await cli(["apps", "restrict-credential", "a1", "c1", "--referrers", "https://app.example.com/*,https://*.example.org/*", "--cidrs", "none"], () =>
      json(credential({ allowedReferrers: ["https://app.example.com/*", "https://*.example.org/*"], allowedCidrs: [] })),
    );
    expect(r.code).toBe(0);
    expect(r.calls[0]).toMatchObject({ method: "PATCH", body: { allowedReferrers: ["https://app.example.com/*", "https://*.example.org/*"], allowedCidrs: [] } });
    expect(r.stdout).toContain("addresses any");
  });

  it("refuses to send nothing", async () => {
    const r = await cli(["apps", "restrict-credential", "a1", "c1"], () => json({}));
    expect(r.code).not.toBe(0);
    expect(r.calls).toHaveLength(0);
  });
});
