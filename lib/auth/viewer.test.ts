import { describe, expect, it } from "vitest";
import { forbidden, notFound } from "../portal/errors.ts";
import { orNotFound } from "./viewer.ts";

describe("orNotFound", () => {
  it("passes the found thing through, turns the portal's not_found into the not-found page and lets other failures go on", async () => {
    await expect(orNotFound(Promise.resolve("app"))).resolves.toBe("app");
    await expect(orNotFound(Promise.reject(notFound("app")))).rejects.toMatchObject({ digest: expect.stringContaining("404") });
    await expect(orNotFound(Promise.reject(forbidden()))).rejects.toMatchObject({ code: "forbidden" });
  });
});
