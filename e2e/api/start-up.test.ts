// How the server behaves before it is healthy: bad configuration and unreachable dependencies.
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { spawnGatehouse, startGatehouse } from "../harness/gatehouse.ts";

async function runToExit(env: Record<string, string>) {
  const child = spawnGatehouse(env);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (c) => (stdout += c));
  child.stderr!.on("data", (c) => (stderr += c));
  const [code] = await once(child, "exit");
  return { code, stdout, stderr };
}

describe("start-up", () => {
  it.each([
    ["PORT", "abc"],
    ["DATABASE_URL", "mysql://nope"],
    ["REDIS_URL", "localhost:6379"],
  ])("exits 1 with one line naming %s when it is %s", async (variable, value) => {
    const { code, stdout, stderr } = await runToExit({ [variable]: value, DATA_DIR: "/tmp/gatehouse-never-used" });
    expect(code).toBe(1);
    const lines = stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(variable);
    expect(stderr + stdout).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("exits 1 with one line naming TLS_CERT when it is not a readable file", async () => {
    const { code, stdout, stderr } = await runToExit({ TLS_CERT: "/nonexistent/server.pem", TLS_KEY: "/nonexistent/server-key.pem", DATA_DIR: "/tmp/gatehouse-never-used" });
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toEqual([expect.stringContaining("TLS_CERT")]);
    expect(stderr + stdout).not.toMatch(/\n\s+at /);
  });

  it("refuses to start in production without secrets, naming the first missing one", async () => {
    const { code, stderr } = await runToExit({ NODE_ENV: "production", PUBLIC_URL: "https://gh.example.com" });
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toEqual([expect.stringContaining("ENCRYPTION_KEY")]);
  });

  it("is alive but not ready while Redis is unreachable", async () => {
    const gatehouse = await startGatehouse({ REDIS_URL: "redis://127.0.0.1:1" });
    try {
      expect((await fetch(`${gatehouse.url}/healthz`)).status).toBe(200);
      const ready = await fetch(`${gatehouse.url}/readyz`);
      expect(ready.status).toBe(503);
      const body = await ready.json();
      expect(body).toMatchObject({ status: "unavailable", checks: { store: { status: "down" }, database: { status: "ok" } } });
      expect(JSON.stringify(body)).not.toContain("127.0.0.1:1"); // no internals in the public answer
      expect((await fetch(`${gatehouse.url}/`)).status).toBe(200);
    } finally {
      expect(await gatehouse.stop()).toBe(0);
    }
  });
});
