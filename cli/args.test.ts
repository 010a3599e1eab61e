import { describe, expect, it } from "vitest";
import { Opts, parseCommandArgs, parseOnOff, parseQuota, splitCommand } from "./args.ts";
import { UsageError } from "./errors.ts";

describe("splitCommand", () => {
  it("finds group and command after global options, keeping option values out of the words", () => {
    expect(splitCommand(["--url", "http://x", "--json", "products", "get", "echo", "--all"])).toEqual({
      group: "products",
      command: "get",
      rest: ["--url", "http://x", "--json", "echo", "--all"],
    });
  });
  it("leaves the command out when an option follows the group (a group's default command)", () => {
    expect(splitCommand(["audit", "--action", "product."])).toEqual({ group: "audit", command: undefined, rest: ["--action", "product."] });
  });
  it("has no group when there are only options", () => {
    expect(splitCommand(["--help"])).toEqual({ rest: ["--help"] });
  });
});

describe("parseCommandArgs", () => {
  it("accepts global and command options anywhere after the words", () => {
    const { values, positionals } = parseCommandArgs(["abc", "--json", "--reason", "no"], { reason: { type: "string" } });
    expect(positionals).toEqual(["abc"]);
    expect(values).toMatchObject({ json: true, reason: "no" });
  });
  it("turns unknown options into a usage error", () => {
    expect(() => parseCommandArgs(["--nope"], {})).toThrow(UsageError);
  });
});

describe("Opts", () => {
  it("splits repeatable, comma-separated lists", () => {
    const { values } = parseCommandArgs(["--product", "a,b", "--product", "c"], { product: { type: "string", multiple: true } });
    expect(new Opts(values).list("product")).toEqual(["a", "b", "c"]);
  });
  it("requires what is required", () => {
    expect(() => new Opts({}).required("slug")).toThrow("--slug is required");
  });
});

describe("value parsers", () => {
  it("reads quotas as CALLS/SECONDS with optional units, and off", () => {
    expect(parseQuota("100/60")).toEqual({ quotaLimit: 100, quotaIntervalSeconds: 60 });
    expect(parseQuota("1000/1h")).toEqual({ quotaLimit: 1000, quotaIntervalSeconds: 3600 });
    expect(parseQuota("off")).toEqual({ quotaLimit: null, quotaIntervalSeconds: null });
    for (const bad of ["100", "x/60", "0/60", "10/0", "10/5w"]) expect(() => parseQuota(bad)).toThrow(UsageError);
  });
  it("reads on/off switches and refuses anything else", () => {
    expect(parseOnOff("implicit", "on")).toBe(true);
    expect(parseOnOff("implicit", "off")).toBe(false);
    expect(() => parseOnOff("implicit", "maybe")).toThrow(UsageError);
  });
});
