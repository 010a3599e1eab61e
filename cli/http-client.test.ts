import { describe, expect, it } from "vitest";
import { ApiError, NetworkError } from "./errors.ts";
import { ApiClient } from "./http-client.ts";

const clientAnswering = (answer: () => Promise<Response>) =>
  new ApiClient({ url: "http://gh.test/", credentials: { apiKey: "k" }, timeoutMs: 50, fetch: answer as unknown as typeof fetch });

describe("ApiClient", () => {
  it("keeps problem JSON's title and code", async () => {
    const client = clientAnswering(async () => new Response(JSON.stringify({ title: "subscription not found", status: 404, code: "not_found" }), { status: 404 }));
    await expect(client.get("/subscriptions/x")).rejects.toMatchObject({ title: "subscription not found", code: "not_found", status: 404 });
  });

  it("still gives one line for an answer that is not problem JSON", async () => {
    const client = clientAnswering(async () => new Response("<html>Bad gateway</html>", { status: 502 }));
    const error = await client.get("/products").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toBe("GET /api/v1/products answered 502 (http_502)");
  });

  it("reports a timeout with the URL", async () => {
    const client = clientAnswering(() => Promise.reject(new DOMException("timed out", "TimeoutError")));
    const error = await client.get("/products").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toBe("no answer from http://gh.test/ within 0.05 s");
  });

  it("answers undefined for 204", async () => {
    const client = clientAnswering(async () => new Response(null, { status: 204 }));
    await expect(client.delete("/products/p")).resolves.toBeUndefined();
  });
});
