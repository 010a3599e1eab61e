import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { BodyTooLarge, readBodyPrefix, readBoundedBody } from "./body.ts";

const chunks = (...parts: string[]) => Readable.from(parts.map((p) => Buffer.from(p)));

describe("readBoundedBody", () => {
  it("reads a body up to the limit, from node streams and Web streams", async () => {
    expect((await readBoundedBody(chunks("ab", "cd"), 4)).toString()).toBe("abcd");
    const web = new Response("héllo").body as unknown as AsyncIterable<Uint8Array>;
    expect((await readBoundedBody(web, 100)).toString()).toBe("héllo");
    expect((await readBoundedBody(null, 1)).length).toBe(0);
  });

  it("fails before reading when the declared length is over the limit", async () => {
    let pulled = false;
    const source = (async function* () {
      pulled = true;
      yield Buffer.from("x");
    })();
    await expect(readBoundedBody(source, 10, "11")).rejects.toBeInstanceOf(BodyTooLarge);
    expect(pulled).toBe(false);
  });

  it("fails as soon as a body grows past the limit, and stops reading it", async () => {
    let pulledAfter = 0;
    const source = (async function* () {
      yield Buffer.from("12345");
      yield Buffer.from("6");
      pulledAfter++;
      yield Buffer.from("7");
    })();
    await expect(readBoundedBody(source, 5, "5")).rejects.toMatchObject({ limit: 5 });
    expect(pulledAfter).toBe(0);
  });
});

describe("readBodyPrefix", () => {
  it("keeps the first chunks up to the limit and says when it dropped the rest", async () => {
    expect(await readBodyPrefix(chunks("abc", "def"), 3)).toEqual({ body: Buffer.from("abc"), truncated: true });
    expect(await readBodyPrefix(chunks("abc"), 3)).toEqual({ body: Buffer.from("abc"), truncated: false });
  });
});
