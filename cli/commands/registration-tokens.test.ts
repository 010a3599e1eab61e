import { describe, expect, it } from "vitest";
import { cli } from "../test-runner.ts";

describe("gatehouse registration-tokens", () => {
  it("creates a token with its limits and products, printing the token alone", async () => {
    const r = await cli(["registration-tokens", "create", "--label", "ci", "--expires-in-days", "7", "--max-registrations", "3", "--product", "echo,partner"], {
      id: "t1",
      label: "ci",
      token: "gth_iat_abc",
    });
    expect(r.code).toBe(0);
    expect(r.calls[0]).toMatchObject({ method: "POST", path: "/api/v1/initial-access-tokens" });
    expect(r.calls[0]!.body).toEqual({ label: "ci", expiresInDays: 7, maxRegistrations: 3, products: ["echo", "partner"] });
    expect(r.stdout.trim()).toBe("gth_iat_abc");
  });

  it("refuses a limit that is not a whole number before calling the API", async () => {
    const r = await cli(["registration-tokens", "create", "--label", "ci", "--max-registrations", "0"]);
    expect(r.code).not.toBe(0);
    expect(r.calls).toHaveLength(0);
  });

  it("revokes by id", async () => {
    const r = await cli(["registration-tokens", "revoke", "t1"]);
    expect(r.code).toBe(0);
    expect(r.calls[0]).toMatchObject({ method: "DELETE", path: "/api/v1/initial-access-tokens/t1" });
  });
});
