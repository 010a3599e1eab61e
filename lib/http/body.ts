// Request bodies read into memory, always bounded: a Content-Length over the limit fails before
// a byte is read, and a body that grows past it (chunked, or lying about its length) fails as
// soon as it does. Works on node:http requests and on Web streams (Next route handlers);
// leaving the loop early destroys (or cancels) the stream, so the rest is never read.

export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`request body over ${limit} bytes`);
  }
}

type Chunks = AsyncIterable<Uint8Array>;

/** The whole body, or BodyTooLarge. `declaredLength` is the Content-Length header, if any. */
export async function readBoundedBody(source: Chunks | null | undefined, limit: number, declaredLength?: string | null): Promise<Buffer> {
  if (Number(declaredLength ?? 0) > limit) throw new BodyTooLarge(limit);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of source ?? []) {
    size += chunk.byteLength;
    if (size > limit) throw new BodyTooLarge(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The first `limit` bytes of the body; the rest is read and dropped. */
export async function readBodyPrefix(source: Chunks, limit: number): Promise<{ body: Buffer; truncated: boolean }> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of source) {
    size += chunk.byteLength;
    if (size <= limit) chunks.push(chunk);
  }
  return { body: Buffer.concat(chunks), truncated: size > limit };
}
