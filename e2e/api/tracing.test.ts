// OpenTelemetry tracing against the real server, exported over OTLP/HTTP to a receiver in the
// test: a gateway call is one trace (the request's span, one span per policy under it, the
// upstream exchange) and the backend is called with that trace's traceparent; a traceparent
// continues only from a trusted proxy; the token endpoint and a portal page have spans; the
// access log names each request's trace; and with sampling at 0 nothing is exported while the
// backend still gets the (unsampled) trace context, which a trusted proxy's sampled parent
// overrides.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import type net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatehouse, type RunningGatehouse } from "../harness/gatehouse.ts";
import { apiCaller, seededSessions, type Caller } from "../harness/portal-setup.ts";
import { databaseOf } from "../harness/system.ts";
import { BACKEND_HOST, startBackends, type TestBackends } from "../harness/upstreams.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../harness/webhook-receiver.ts";

/** Connections from this address come from the trusted proxy (TRUSTED_PROXIES); 127.0.0.1 is anyone. */
const PROXY_ADDRESS = "127.0.0.3";
const SPAN_KIND = { internal: 1, server: 2, client: 3 } as const;

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: OtlpValue }[];
  status?: { code?: number };
}
interface OtlpExport {
  resourceSpans: { resource: { attributes: { key: string; value: OtlpValue }[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
}

const exported = (receiver: WebhookReceiver): OtlpSpan[] =>
  receiver.on("/v1/traces").flatMap((post) => (JSON.parse(post.body) as OtlpExport).resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));
const attribute = (span: OtlpSpan, key: string): string | number | undefined => {
  const value = span.attributes.find((a) => a.key === key)?.value;
  return value?.stringValue ?? (value?.intValue === undefined ? undefined : Number(value.intValue));
};

async function until<T>(find: () => T | undefined, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error("not seen in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A GET from a chosen local address (the trusted proxy's or anyone's). */
function get(url: string, headers: Record<string, string>, localAddress = "127.0.0.1"): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers, localAddress, agent: false }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode!, headers: response.headers, body }));
    });
    request.on("error", reject);
  });
}

const traceparentOf = (value: string | string[] | undefined) => {
  const match = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(String(value));
  if (!match) throw new Error(`not a traceparent: ${String(value)}`);
  return { traceId: match[1]!, parentId: match[2]!, flags: match[3]! };
};

const randomHex = (bytes: number) => Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString("hex");

interface Traced {
  gatehouse: RunningGatehouse;
  receiver: WebhookReceiver;
  apiKey: string;
}

describe("tracing (OpenTelemetry over OTLP/HTTP)", () => {
  let backends: TestBackends;
  let sampled: Traced;
  let unsampled: Traced;
  let developer: Caller;
  let demo: { clientId: string; clientSecret: string };
  let logDir: string;
  let logFile: string;

  /** A proxy on the test backend with an API key and a quota; the chain adds its implied steps. */
  async function tracedProxy(gatehouse: RunningGatehouse): Promise<string> {
    const db = databaseOf(gatehouse, {});
    const echo = await db.apiProduct.findFirstOrThrow({ where: { slug: "echo" } });
    await db.$disconnect();
    const sessions = await seededSessions(gatehouse);
    const created = await apiCaller(gatehouse)(sessions.admin, "POST", "/proxies", {
      name: "Traced",
      basePath: "traced",
      version: "v1",
      targetUrl: `${backends.url}/traced`,
      productIds: [echo.id],
      policies: [{ policy: "verify-api-key" }, { policy: "quota", config: { allow: 1000, interval: 1, timeUnit: "hour", type: "calendar" } }],
    });
    expect(created.status, created.text).toBe(201);
    return (JSON.parse(readFileSync(join(gatehouse.dataDir, "demo-app.json"), "utf8")) as { clientId: string }).clientId;
  }

  async function start(env: Record<string, string>): Promise<Traced> {
    const receiver = await startWebhookReceiver();
    const gatehouse = await startGatehouse({
      GATEWAY_ALLOWED_PRIVATE_TARGETS: BACKEND_HOST,
      TRUSTED_PROXIES: PROXY_ADDRESS,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: "100",
      OTEL_SERVICE_NAME: "gatehouse-under-test",
      ...env,
    });
    return { gatehouse, receiver, apiKey: await tracedProxy(gatehouse) };
  }

  beforeAll(async () => {
    backends = await startBackends();
    logDir = mkdtempSync(join(tmpdir(), "gatehouse-tracing-it-"));
    logFile = join(logDir, "access.log");
    [sampled, unsampled] = await Promise.all([
      start({ ACCESS_LOG_FILE: logFile, ACCESS_LOG_FLUSH_INTERVAL_MS: "100" }),
      start({ OTEL_TRACES_SAMPLER: "parentbased_traceidratio", OTEL_TRACES_SAMPLER_ARG: "0" }),
    ]);
    ({ developer } = await seededSessions(sampled.gatehouse));
    demo = JSON.parse(readFileSync(join(sampled.gatehouse.dataDir, "demo-app.json"), "utf8"));
  }, 240_000);

  afterAll(async () => {
    await Promise.all([sampled?.gatehouse.stop(), unsampled?.gatehouse.stop()]);
    await Promise.all([sampled?.receiver.close(), unsampled?.receiver.close(), backends?.close()]);
    if (logDir) rmSync(logDir, { recursive: true, force: true });
  });

  const backendSaw = (marker: string) => {
    const seen = backends.seen.filter((s) => s.url.includes(marker));
    expect(seen, marker).toHaveLength(1);
    return seen[0]!;
  };

  it("a gateway call is one trace: its span, one span per policy under it, the upstream span, and the backend called in that trace", async () => {
    // a caller's own traceparent is not a trusted proxy's: it starts nothing
    const forged = `00-${randomHex(16)}-${randomHex(8)}-01`;
    const res = await get(`${sampled.gatehouse.url}/gateway/traced/v1/one-trace`, { "x-api-key": sampled.apiKey, traceparent: forged, tracestate: "forged=1" });
    expect(res.status, res.body).toBe(200);

    const server = await until(() => exported(sampled.receiver).find((s) => s.kind === SPAN_KIND.server && attribute(s, "gatehouse.request_id") === res.headers["x-request-id"]));
    expect(server.traceId).not.toBe(traceparentOf(forged).traceId);
    expect(server.parentSpanId ?? "").toBe("");
    expect(server.name).toBe("GET /gateway/**");
    expect(attribute(server, "http.response.status_code")).toBe(200);
    expect(attribute(server, "gatehouse.proxy.base_path")).toBe("traced");
    expect(attribute(server, "gatehouse.auth.kind")).toBe("api-key");

    const inTrace = await until(() => {
      const spans = exported(sampled.receiver).filter((s) => s.traceId === server.traceId);
      return spans.some((s) => s.kind === SPAN_KIND.client) ? spans : undefined;
    });
    const policies = inTrace.filter((s) => s.name.startsWith("policy "));
    // the two policies the proxy names and those every chain implies, each once, all under the request's span
    expect(policies.map((s) => s.name).sort()).toEqual(["policy assign-identity", "policy bot-detection", "policy payload-size", "policy quota", "policy verify-api-key"]);
    for (const span of policies) expect(span.parentSpanId, span.name).toBe(server.spanId);
    const upstream = inTrace.find((s) => s.kind === SPAN_KIND.client)!;
    expect(upstream).toMatchObject({ name: "GET", parentSpanId: server.spanId });
    expect(attribute(upstream, "server.address")).toBe(BACKEND_HOST);
    expect(attribute(upstream, "http.response.status_code")).toBe(200);

    // the backend was called in the same trace, under the upstream span; the forged state is gone
    const seen = backendSaw("/one-trace");
    expect(traceparentOf(seen.headers.traceparent)).toEqual({ traceId: server.traceId, parentId: upstream.spanId, flags: "01" });
    expect(seen.headers.tracestate).toBeUndefined();

    const resource = (JSON.parse(sampled.receiver.on("/v1/traces")[0]!.body) as OtlpExport).resourceSpans[0]!.resource;
    expect(resource.attributes.find((a) => a.key === "service.name")?.value.stringValue).toBe("gatehouse-under-test");

    // the access log names the request's trace
    const line = await until(() =>
      readFileSyncOrEmpty(logFile)
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { requestId: string; traceId: string | null })
        .find((l) => l.requestId === res.headers["x-request-id"]),
    );
    expect(line.traceId).toBe(server.traceId);
  });

  it("a trusted proxy's traceparent continues its trace, with its tracestate, down to the backend", async () => {
    const parent = { traceId: randomHex(16), parentId: randomHex(8) };
    const res = await get(
      `${sampled.gatehouse.url}/gateway/traced/v1/continued`,
      { "x-api-key": sampled.apiKey, traceparent: `00-${parent.traceId}-${parent.parentId}-01`, tracestate: "lb=7" },
      PROXY_ADDRESS,
    );
    expect(res.status, res.body).toBe(200);
    const server = await until(() => exported(sampled.receiver).find((s) => s.kind === SPAN_KIND.server && s.traceId === parent.traceId));
    expect(server.parentSpanId).toBe(parent.parentId);
    const upstream = await until(() => exported(sampled.receiver).find((s) => s.kind === SPAN_KIND.client && s.traceId === parent.traceId));
    // the backend is called under the gateway's upstream span, not the proxy's
    const seen = backendSaw("/continued");
    expect(traceparentOf(seen.headers.traceparent)).toEqual({ traceId: parent.traceId, parentId: upstream.spanId, flags: "01" });
    expect(upstream.spanId).not.toBe(parent.parentId);
    expect(seen.headers.tracestate).toBe("lb=7");
  });

  it("a policy's answer names the policy; a streamed answer's span still gets the caller, written before the answer finished", async () => {
    const refused = await get(`${sampled.gatehouse.url}/gateway/traced/v1/refused`, {});
    expect(refused.status).toBe(401);
    const refusedSpan = await until(() =>
      exported(sampled.receiver).find((s) => s.kind === SPAN_KIND.server && attribute(s, "gatehouse.request_id") === refused.headers["x-request-id"]),
    );
    expect(attribute(refusedSpan, "gatehouse.blocked_by")).toBe("verify-api-key");
    expect(attribute(refusedSpan, "http.response.status_code")).toBe(401);
    const refusedTrace = await until(() => {
      const spans = exported(sampled.receiver).filter((s) => s.traceId === refusedSpan.traceId);
      return spans.some((s) => s.name === "policy verify-api-key") ? spans : undefined;
    });
    expect(
      attribute(
        refusedTrace.find((s) => s.name === "policy verify-api-key")!,
        "gatehouse.policy.answer_status",
      ),
    ).toBe(401);
    expect(refusedTrace.some((s) => s.kind === SPAN_KIND.client || s.name === "policy quota")).toBe(false); // the chain stopped there
    expect(backends.seen.some((s) => s.url.includes("/refused"))).toBe(false);

    // 3 MiB in chunks: the answer finishes from the backend's last chunk, maybe before the gateway resumes
    const streamed = await get(`${sampled.gatehouse.url}/gateway/traced/v1/streamed/big-chunked`, { "x-api-key": sampled.apiKey });
    expect(streamed.status).toBe(200);
    expect(streamed.body.length).toBe(3 * 1024 * 1024);
    const streamedSpan = await until(() =>
      exported(sampled.receiver).find((s) => s.kind === SPAN_KIND.server && attribute(s, "gatehouse.request_id") === streamed.headers["x-request-id"]),
    );
    expect(attribute(streamedSpan, "gatehouse.auth.kind")).toBe("api-key");
    expect(attribute(streamedSpan, "gatehouse.app.id")).toEqual(expect.any(String));
  });

  it("a retry on another target is a client span of its own, and the backend is called under it", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, BACKEND_HOST, resolve));
    const dead = `http://${BACKEND_HOST}:${(closed.address() as net.AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const sessions = await seededSessions(sampled.gatehouse);
    const created = await apiCaller(sampled.gatehouse)(sessions.admin, "POST", "/proxies", {
      name: "Retried",
      basePath: "retried",
      version: "v1",
      targetUrl: dead,
      policies: [{ policy: "allow-anonymous" }],
      upstream: { targets: [{ url: dead }, { url: backends.url }], retries: { attempts: 2, budgetPercent: 100 } },
    });
    expect(created.status, created.text).toBe(201);
    // the balancer takes turns: within a few calls one goes to the dead target first
    let tries: OtlpSpan[] = [];
    let marker = "";
    for (let i = 0; i < 4 && tries.length < 2; i++) {
      marker = `/retry-${i}`;
      const res = await get(`${sampled.gatehouse.url}/gateway/retried/v1${marker}`, {});
      expect(res.status, res.body).toBe(200);
      const server = await until(() => exported(sampled.receiver).find((s) => s.kind === SPAN_KIND.server && attribute(s, "gatehouse.request_id") === res.headers["x-request-id"]));
      tries = await until(() => {
        const clients = exported(sampled.receiver).filter((s) => s.kind === SPAN_KIND.client && s.traceId === server.traceId);
        return clients.length > 0 ? clients : undefined;
      });
    }
    expect(tries).toHaveLength(2);
    const [first, second] = [tries.find((s) => attribute(s, "http.request.resend_count") === undefined)!, tries.find((s) => attribute(s, "http.request.resend_count") === 1)!];
    expect(first.status?.code).toBe(2); // ERROR: the dead target refused the connection
    expect(attribute(second, "http.response.status_code")).toBe(200);
    expect(first.parentSpanId).toBe(second.parentSpanId);
    expect(traceparentOf(backendSaw(marker).headers.traceparent).parentId).toBe(second.spanId);
  });

  it("the token endpoint and a portal page have spans of their own", async () => {
    const token = await fetch(`${sampled.gatehouse.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`${demo.clientId}:${demo.clientSecret}`).toString("base64")}` },
      body: "grant_type=client_credentials&scope=echo:read",
    });
    expect(token.status).toBe(200);
    const page = await fetch(`${sampled.gatehouse.url}/apps`, { headers: { cookie: developer.cookie! }, redirect: "manual" });
    expect(page.status).toBe(200);
    await page.arrayBuffer();
    const spanOf = (requestId: string | null) => until(() => exported(sampled.receiver).find((s) => attribute(s, "gatehouse.request_id") === requestId));
    const tokenSpan = await spanOf(token.headers.get("x-request-id"));
    expect(tokenSpan).toMatchObject({ name: "POST /oauth/token", kind: SPAN_KIND.server });
    expect(attribute(tokenSpan, "http.response.status_code")).toBe(200);
    const pageSpan = await spanOf(page.headers.get("x-request-id"));
    expect(pageSpan).toMatchObject({ name: "GET", kind: SPAN_KIND.server });
    expect(attribute(pageSpan, "gatehouse.lane")).toBe("browser");
    expect(attribute(pageSpan, "url.path")).toBe("/apps");
  });

  it("sampled at 0, nothing is exported but the backend still gets the trace context; a trusted proxy's sampled parent is followed", async () => {
    // a caller's sampled traceparent is not a trusted proxy's: it neither names the trace nor samples it
    const forged = { traceId: randomHex(16), parentId: randomHex(8) };
    const quiet = await get(`${unsampled.gatehouse.url}/gateway/traced/v1/unsampled`, { "x-api-key": unsampled.apiKey, traceparent: `00-${forged.traceId}-${forged.parentId}-01` });
    expect(quiet.status, quiet.body).toBe(200);
    const context = traceparentOf(backendSaw("/unsampled").headers.traceparent);
    expect(context.flags).toBe("00");
    expect(context.traceId).not.toBe(forged.traceId);

    const parent = { traceId: randomHex(16), parentId: randomHex(8) };
    const followed = await get(
      `${unsampled.gatehouse.url}/gateway/traced/v1/parent-sampled`,
      { "x-api-key": unsampled.apiKey, traceparent: `00-${parent.traceId}-${parent.parentId}-01` },
      PROXY_ADDRESS,
    );
    expect(followed.status, followed.body).toBe(200);
    await until(() => exported(unsampled.receiver).find((s) => s.kind === SPAN_KIND.client && s.traceId === parent.traceId));
    expect(traceparentOf(backendSaw("/parent-sampled").headers.traceparent)).toMatchObject({ traceId: parent.traceId, flags: "01" });
    // the spans of every other request of this server were sampled out
    expect(exported(unsampled.receiver).filter((s) => s.traceId !== parent.traceId)).toEqual([]);
  });
});

function readFileSyncOrEmpty(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}
