// The one module that talks HTTP: the management API under {url}/api/v1 with an admin API
// key or an OAuth token (client credentials, through the SDK's TokenSession: cached, renewed
// before expiry, retried once after a 401), a timeout on every call, and problem JSON turned
// into ApiError (title + code).
import { OAuthError, ProtocolError, type TokenSession } from "../sdk/src/index.ts";
import { ApiError, NetworkError } from "./errors.ts";

export interface ClientOptions {
  url: string;
  credentials: { apiKey: string } | { session: TokenSession };
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export type Query = Record<string, string | number | undefined>;

export class ApiClient {
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: ClientOptions) {
    this.base = `${options.url.replace(/\/+$/, "")}/api/v1`;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  get<T>(path: string, query?: Query) {
    return this.request<T>("GET", path, undefined, query);
  }
  post<T>(path: string, body?: unknown) {
    return this.request<T>("POST", path, body ?? {});
  }
  patch<T>(path: string, body: unknown) {
    return this.request<T>("PATCH", path, body);
  }
  put<T>(path: string, body: unknown) {
    return this.request<T>("PUT", path, body);
  }
  delete<T>(path: string) {
    return this.request<T>("DELETE", path);
  }
  /** PUT of a file as it is (an image), with its media type. */
  putBytes<T>(path: string, bytes: Uint8Array, contentType: string) {
    return this.request<T>("PUT", path, new RawBody(new Uint8Array(bytes), contentType));
  }

  /** The parsed JSON answer, or undefined for 204. */
  async request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
    const url = new URL(this.base + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== "") url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { accept: "application/json" };
    if (body !== undefined) headers["content-type"] = body instanceof RawBody ? body.contentType : "application/json";
    const payload = body === undefined ? undefined : body instanceof RawBody ? body.bytes : JSON.stringify(body);
    const init = { method, headers, body: payload, signal: AbortSignal.timeout(this.timeoutMs) };
    const { credentials } = this.options;
    let res: Response;
    try {
      res =
        "session" in credentials
          ? await credentials.session.fetch(url, init)
          : await this.fetch(url, { ...init, headers: { ...headers, authorization: `Bearer ${credentials.apiKey}` } });
    } catch (error) {
      if (error instanceof OAuthError || error instanceof ProtocolError) throw new ApiError(`could not get a token with the client credentials: ${error.message}`, error.code, 401);
      throw networkError(error, this.options.url, this.timeoutMs);
    }
    const text = await res.text().catch(() => "");
    if (!res.ok) throw problemError(res.status, text, method, url.pathname);
    if (res.status === 204 || text === "") return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError(`${method} ${url.pathname} answered with something other than JSON`, "bad_response", res.status);
    }
  }
}

class RawBody {
  constructor(
    readonly bytes: Uint8Array<ArrayBuffer>,
    readonly contentType: string,
  ) {}
}

/** Problem JSON → ApiError; anything else (a proxy's HTML page) still gives one readable line. */
export function problemError(status: number, text: string, method: string, path: string): ApiError {
  let problem: { title?: unknown; code?: unknown; fields?: unknown; issues?: unknown } = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === "object") problem = parsed;
  } catch {
    // not JSON: fall through to the generic line
  }
  const title = typeof problem.title === "string" && problem.title ? problem.title : `${method} ${path} answered ${status}`;
  const code = typeof problem.code === "string" && problem.code ? problem.code : `http_${status}`;
  const fields = problem.fields && typeof problem.fields === "object" ? (problem.fields as Record<string, string>) : undefined;
  return new ApiError(title, code, status, fields, Array.isArray(problem.issues) ? problem.issues.map(issueLine) : []);
}

/** "file:line:column: field: message", the shape editors and CI logs link to. */
function issueLine(issue: unknown): string {
  const { file, line, column, path, message } = (issue ?? {}) as { file?: unknown; line?: unknown; column?: unknown; path?: unknown; message?: unknown };
  const where = [file, line, column].filter((part) => typeof part === "string" || typeof part === "number").join(":");
  return [where, path, message].filter((part) => (typeof part === "string" ? part !== "" : part !== undefined && part !== null)).join(": ");
}

function networkError(error: unknown, url: string, timeoutMs: number): NetworkError {
  const e = error as { name?: string; cause?: { code?: string; message?: string }; message?: string };
  if (e?.name === "TimeoutError") return new NetworkError(`no answer from ${url} within ${timeoutMs / 1000} s`);
  const reason = e?.cause?.code ?? e?.cause?.message ?? e?.message ?? "network error";
  return new NetworkError(`cannot reach ${url} (${reason})`);
}
