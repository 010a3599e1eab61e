import { describe, expect, it } from "vitest";
import { MachineRouter, allows } from "./router.ts";
import type { MachineRoute } from "./types.ts";

const route = (name: string, methods: string[] = ["GET"]): MachineRoute => ({
  methods,
  handler: () => {
    void name;
  },
});

describe("MachineRouter", () => {
  const token = route("token", ["POST"]);
  const gateway = route("gateway");
  const router = new MachineRouter().add("/oauth/token", token).add("/gateway/**", gateway);

  it("matches exact paths only exactly", () => {
    expect(router.match("/oauth/token")).toBe(token);
    expect(router.match("/oauth/token/")).toBeUndefined();
    expect(router.match("/oauth/tokenx")).toBeUndefined();
    expect(router.match("/OAUTH/TOKEN")).toBeUndefined();
  });

  it("matches a prefix route at and below its base", () => {
    expect(router.match("/gateway")).toBe(gateway);
    expect(router.match("/gateway/")).toBe(gateway);
    expect(router.match("/gateway/a/b/c")).toBe(gateway);
    expect(router.match("/gatewayx")).toBeUndefined();
    expect(router.match("/")).toBeUndefined();
  });

  it("implies HEAD from GET", () => {
    expect(allows(gateway, "HEAD")).toBe(true);
    expect(allows(token, "HEAD")).toBe(false);
    expect(allows(token, "POST")).toBe(true);
  });
});
