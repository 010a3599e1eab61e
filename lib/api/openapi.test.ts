import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi.ts";

const API_DIR = join(import.meta.dirname, "../../app/api/v1");

/** Every "METHOD /path" that a route file under app/api/v1 exports. */
function routeOperations(dir = API_DIR): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return routeOperations(path);
    if (entry !== "route.ts") return [];
    const template = "/" + relative(API_DIR, dir).replace(/\[(\w+)\]/g, "{$1}");
    const methods = [...readFileSync(path, "utf8").matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1]!);
    return methods.map((m) => `${m} ${template}`);
  });
}

describe("the OpenAPI document", () => {
  it("lists exactly the operations the route files implement", () => {
    const doc = openApiDocument("http://localhost:3000");
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(routeOperations().sort());
  });

  it("is OpenAPI 3.1 with request body schemas derived from the validators", () => {
    const doc = openApiDocument("http://localhost:3000");
    expect(doc.openapi).toBe("3.1.0");
    const create = doc.paths["/apps"].post.requestBody as { content: { "application/json": { schema: { properties: Record<string, unknown>; additionalProperties: boolean } } } };
    expect(Object.keys(create.content["application/json"].schema.properties)).toEqual(expect.arrayContaining(["name", "redirectUris", "products", "type"]));
    expect(create.content["application/json"].schema.additionalProperties).toBe(false);
  });
});
