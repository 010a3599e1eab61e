import { describe, expect, it } from "vitest";
import { guardedLookup, isPublicAddress, refusedTarget, TargetRefused } from "./ssrf.ts";

const policy = { allowedPrivateTargets: [] as string[], ownPort: 3000, ownTls: false };

describe("SSRF guard", () => {
  it.each([
    "http://169.254.169.254/latest/meta-data",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:169.254.169.254]/",
    "http://0x7f000001/",
    "http://2130706433/",
    "http://0177.0.0.1/",
    "http://127.1/",
    "http://10.0.0.1/",
    "http://192.168.1.1/",
    "http://172.16.0.1/",
    "http://100.64.0.1/",
    "http://0.0.0.0/",
    "http://[::1]/",
    "http://[fd00::1]/",
    "http://[fe80::1]/",
    "http://localhost:8080/",
    "http://metadata.internal/",
    "http://127.0.0.1:3000/api/v1/admin", // Gatehouse itself, outside the echo backend
    "http://127.0.0.1:3000/_echo/../api",
    "https://127.0.0.1:3000/api/v1/admin", // either scheme: only /_echo is the echo backend
    "https://127.0.0.1:3001/_echo", // not Gatehouse's port
    "https://127.0.0.1/_echo", // 443, not Gatehouse's port
  ])("refuses %s", (target) => {
    expect(refusedTarget(target, policy)).not.toBeNull();
  });

  it.each([
    "https://api.example.com/v1",
    "http://93.184.216.34/",
    "http://[2606:4700::1111]/",
    "http://127.0.0.1:3000/_echo",
    "http://localhost:3000/_echo/x",
    "https://127.0.0.1:3000/_echo",
  ])("allows %s", (target) => {
    expect(refusedTarget(target, policy)).toBeNull();
  });

  it("the allow-list admits hosts, addresses and CIDR ranges, nothing more", () => {
    const allow = { allowedPrivateTargets: ["10.1.0.0/16", "backend.internal", "192.168.1.5"], ownPort: 3000, ownTls: false };
    expect(refusedTarget("http://10.1.2.3/", allow)).toBeNull();
    expect(refusedTarget("http://10.2.0.1/", allow)).not.toBeNull();
    expect(refusedTarget("http://backend.internal/", allow)).toBeNull();
    expect(refusedTarget("http://other.internal/", allow)).not.toBeNull();
    expect(refusedTarget("http://192.168.1.5/", allow)).toBeNull();
    expect(refusedTarget("http://[::ffff:192.168.1.5]/", allow)).toBeNull();
    expect(refusedTarget("http://169.254.169.254/", allow)).not.toBeNull();
  });

  it("classifies addresses", () => {
    expect(isPublicAddress("8.8.8.8")).toBe(true);
    expect(isPublicAddress("::ffff:10.0.0.1")).toBe(false);
    expect(isPublicAddress("not-an-ip")).toBe(false);
  });

  const fakeResolve = (answers: Array<{ address: string; family: number }>) =>
    ((_host: string, _options: unknown, callback: (e: null, a: typeof answers) => void) => callback(null, answers)) as never;

  it("at connect: a name resolving to a private address is refused, also when mixed with public ones", async () => {
    const lookup = guardedLookup(
      policy,
      fakeResolve([
        { address: "93.184.216.34", family: 4 },
        { address: "169.254.169.254", family: 4 },
      ]),
    );
    const error = await new Promise((resolve) => lookup("rebind.example", {}, (e) => resolve(e)));
    expect(error).toBeInstanceOf(TargetRefused);
  });

  it("at connect: public answers pass, in the shape the caller asked for", async () => {
    const lookup = guardedLookup(policy, fakeResolve([{ address: "93.184.216.34", family: 4 }]));
    const single = await new Promise((resolve) => lookup("ok.example", {}, (e, address, family) => resolve([e, address, family])));
    expect(single).toEqual([null, "93.184.216.34", 4]);
    const all = await new Promise((resolve) => lookup("ok.example", { all: true }, (e, address) => resolve([e, address])));
    expect(all).toEqual([null, [{ address: "93.184.216.34", family: 4 }]]);
  });

  // Every non-public address in each of its spellings: refused at save (a literal in the URL)
  // and at connect (an answer the name resolves to) by the same judgement.
  const NON_PUBLIC: Array<[url: string, resolved: string, family: number]> = [
    ["http://127.0.0.1/", "127.0.0.1", 4],
    ["http://127.0.0.1./", "127.0.0.1", 4],
    ["http://0/", "0.0.0.0", 4],
    ["http://0x7f.0.0.1/", "127.0.0.1", 4],
    ["http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1", 6],
    ["http://[::ffff:7f00:1]/", "::ffff:7f00:1", 6],
    ["http://[0:0:0:0:0:ffff:127.0.0.1]/", "0:0:0:0:0:ffff:127.0.0.1", 6],
    ["http://[::127.0.0.1]/", "::127.0.0.1", 6],
    ["http://[::a9fe:a9fe]/", "::a9fe:a9fe", 6],
    ["http://[::10.0.0.1]/", "::10.0.0.1", 6],
    ["http://[::ffff:0:7f00:1]/", "::ffff:0:7f00:1", 6],
    ["http://[::8.8.8.8]/", "::8.8.8.8", 6],
    ["http://[100::1]/", "100::1", 6],
    ["http://[3fff::1]/", "3fff::1", 6],
    ["http://[64:ff9b::7f00:1]/", "64:ff9b::7f00:1", 6],
    ["http://[64:ff9b:1::a00:1]/", "64:ff9b:1::a00:1", 6],
    ["http://[2002:7f00:1::]/", "2002:7f00:1::", 6],
    ["http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/", "2001:0:4136:e378:8000:63bf:3fff:fdd2", 6],
    ["http://[::]/", "::", 6],
    ["http://[::1]/", "::1", 6],
    ["http://[fc00::1]/", "fc00::1", 6],
    ["http://[ff02::1]/", "ff02::1", 6],
    ["http://169.254.169.254/", "169.254.169.254", 4],
    ["http://100.64.0.1/", "100.64.0.1", 4],
    ["http://198.18.0.1/", "198.18.0.1", 4],
    ["http://224.0.0.1/", "224.0.0.1", 4],
    ["http://255.255.255.255/", "255.255.255.255", 4],
  ];

  it.each(NON_PUBLIC)("refuses %s at save and %s at connect", async (url, resolved, family) => {
    expect(refusedTarget(url, policy), url).not.toBeNull();
    const lookup = guardedLookup(policy, fakeResolve([{ address: resolved, family }]));
    const error = await new Promise((resolve) => lookup("innocent.example", {}, (e) => resolve(e)));
    expect(error, resolved).toBeInstanceOf(TargetRefused);
  });

  it.each([
    "http://localhost./",
    "http://LOCALHOST/",
    "http://foo.localhost./",
    "http://metadata.google.internal/",
    "http://metadata.google.internal./",
    "http://printer.local../",
    "http://db.INTERNAL/",
    "http://nas.home.arpa/",
    "http://box.localdomain/",
    "http://ip6-localhost/",
  ])("refuses the local name %s at save and at connect, before resolving it", async (url) => {
    expect(refusedTarget(url, policy)).not.toBeNull();
    let resolved = false;
    const lookup = guardedLookup(
      policy,
      ((_h: string, _o: unknown, cb: (e: null, a: unknown[]) => void) => ((resolved = true), cb(null, [{ address: "93.184.216.34", family: 4 }]))) as never,
    );
    const error = await new Promise((resolve) => lookup(new URL(url).hostname, {}, (e) => resolve(e)));
    expect(error).toBeInstanceOf(TargetRefused);
    expect(resolved).toBe(false);
  });

  it("an allow-listed name matches with or without its trailing dot", () => {
    const allow = { allowedPrivateTargets: ["backend.internal"], ownPort: 0, ownTls: false };
    expect(refusedTarget("http://backend.internal./x", allow)).toBeNull();
  });

  it("at connect: an allow-listed name or range may resolve privately", async () => {
    const lookup = guardedLookup({ allowedPrivateTargets: ["10.0.0.0/8"], ownPort: 0, ownTls: false }, fakeResolve([{ address: "10.9.9.9", family: 4 }]));
    const result = await new Promise((resolve) => lookup("svc.example", {}, (e, address) => resolve([e, address])));
    expect(result).toEqual([null, "10.9.9.9"]);
  });
});
