// For the CLI's tests: one run of the CLI (runCli) against a fake fetch that records every
// request and answers as the test says, so a test asserts what was sent and what was printed.
import { runCli } from "./run.ts";

/** One request the CLI sent. */
export interface CliCall {
  method: string;
  url: URL;
  /** url.pathname, for short assertions. */
  path: string;
  headers: Record<string, string>;
  contentType: string | undefined;
  /** A JSON body parsed; any other body as sent (an upload's bytes); undefined without one. */
  body: unknown;
}

/** How the fake API answers a request: a Response as it is; undefined as 204 without a body;
 * anything else as that value in a 200 JSON answer. A value instead of a function answers
 * every request with it. */
export type CliAnswer = ((call: CliCall) => unknown) | object;

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  calls: CliCall[];
}

export async function cli(argv: string[], answer: CliAnswer = () => ({})): Promise<CliRun> {
  const calls: CliCall[] = [];
  let stdout = "";
  let stderr = "";
  const fakeFetch = (async (input: URL, init: RequestInit) => {
    const url = new URL(input);
    const headers = (init.headers ?? {}) as Record<string, string>;
    const call: CliCall = { method: init.method ?? "GET", url, path: url.pathname, headers, contentType: headers["content-type"], body: parsedBody(init.body) };
    calls.push(call);
    const answered = typeof answer === "function" ? await answer(call) : answer;
    if (answered instanceof Response) return answered;
    return answered === undefined ? new Response(null, { status: 204 }) : json(answered);
  }) as unknown as typeof fetch;
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { url: "http://gh.test", apiKey: "gth_ak_test" }, fetch: fakeFetch });
  return { code, stdout, stderr, calls };
}

export const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

export const problem = (status: number, body: object) =>
  new Response(JSON.stringify({ type: "about:blank", status, ...body }), { status, headers: { "content-type": "application/problem+json" } });

function parsedBody(body: BodyInit | null | undefined): unknown {
  if (typeof body !== "string") return body ?? undefined;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}
