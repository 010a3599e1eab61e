import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../test-runner.ts";

const dir = mkdtempSync(join(tmpdir(), "gatehouse-cli-config-"));
const file = join(dir, "gatehouse.yaml");
writeFileSync(file, "products: []\n");

const plan = (changes: unknown[]) => ({
  applied: false,
  summary: { create: changes.length, update: 0, delete: 0 },
  changes,
});
const created = { kind: "product", key: "orders", action: "create", fields: [{ field: "name", to: "Orders" }] };

describe("gatehouse config diff --exit-code", () => {
  it("exits 3 when applying would change something, 0 when nothing would; without the flag always 0", async () => {
    const drift = await cli(["config", "diff", file, "--prune", "--exit-code"], plan([created]));
    expect(drift.code).toBe(3);
    expect(drift.stdout).toContain("+ product orders");
    expect(drift.calls[0]).toMatchObject({ method: "POST", path: "/api/v1/config/diff" });
    expect(drift.calls[0]!.body).toMatchObject({ prune: true, files: [{ text: "products: []\n" }] });

    expect((await cli(["config", "diff", file, "--exit-code"], plan([]))).code).toBe(0);
    expect((await cli(["config", "diff", file], plan([created]))).code).toBe(0);
    expect((await cli(["--json", "config", "diff", file, "--exit-code"], plan([created]))).code).toBe(3);
  });
});
