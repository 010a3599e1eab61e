import { describe, expect, it } from "vitest";
import { cell, details, table } from "./output.ts";

describe("table", () => {
  it("aligns columns under upper-case headers", () => {
    const rows = [
      { id: "p1", name: "Echo" },
      { id: "product-2", name: "Weather" },
    ];
    expect(
      table(rows, [
        { header: "id", value: (r) => r.id },
        { header: "name", value: (r) => r.name },
      ]),
    ).toBe(["ID         NAME", "p1         Echo", "product-2  Weather"].join("\n"));
  });
  it("says (none) for an empty list", () => {
    expect(table([], [{ header: "id", value: () => "x" }])).toBe("(none)");
  });
});

describe("cell", () => {
  it("shows missing values as -, lists joined, newlines flattened, long text cut", () => {
    expect(cell(null)).toBe("-");
    expect(cell([])).toBe("-");
    expect(cell(["a", "b"])).toBe("a,b");
    expect(cell("two\nlines")).toBe("two lines");
    expect(cell("x".repeat(100))).toHaveLength(60);
  });
});

describe("details", () => {
  it("lists scalar fields with aligned keys and leaves lists of objects out", () => {
    expect(details({ id: "a1", status: "active", credentials: [{ id: "c" }], scopes: ["r", "w"] })).toBe(["id      a1", "status  active", "scopes  r,w"].join("\n"));
  });
});
