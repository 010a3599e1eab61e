import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./index.ts";

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger("info", stream), lines };
}

describe("logger", () => {
  it("redacts secret-bearing fields wherever they appear", () => {
    const { logger, lines } = capture();
    logger.info(
      {
        headers: { authorization: "Bearer at-123", cookie: "session=abc", "x-api-key": "key-9" },
        body: { client_secret: "cs-456", password: "hunter2", refresh_token: "rt-789", code_verifier: "cv-1" },
        client_secret: "top-level",
        reqId: "r1",
      },
      "request",
    );
    const out = lines.join("");
    for (const secret of ["at-123", "session=abc", "key-9", "cs-456", "hunter2", "rt-789", "cv-1", "top-level"]) {
      expect(out).not.toContain(secret);
    }
    expect(JSON.parse(lines[0]!)).toMatchObject({ reqId: "r1", msg: "request", service: "gatehouse" });
  });
});
