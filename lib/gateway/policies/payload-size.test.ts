import { describe, expect, it } from "vitest";
import { testContext } from "../test-context.ts";
import { payloadSize } from "./payload-size.ts";

describe("payload-size", () => {
  it("a declared length over the limit → 413 before reading", async () => {
    expect(await payloadSize.access!(testContext({ method: "POST", headers: { "content-length": "11" } }), { maxBytes: 10 })).toMatchObject({ status: 413 });
    expect(await payloadSize.access!(testContext({ method: "POST", headers: { "content-length": "10" } }), { maxBytes: 10 })).toBeUndefined();
  });
});
