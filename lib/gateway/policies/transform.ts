// transform (Kong request/response-transformer, Apigee AssignMessage): reshapes the request on
// its way to the upstream and the answer on its way back.
//   request:  headers and query parameters (remove, rename, replace when present, add when
//             absent, set), the path (a pattern → a template, transform/path-rewrite.ts), JSON
//             body fields (set from a constant or from the caller's identity, remove)
//   response: headers (same operations) and JSON body fields
// Order within each part: remove, rename, replace, add, set. Values are constants or
// `{"fromIdentity": "appId"}` (appId, clientId, developerId, userSub, scopes, productId,
// authKind); a value from an identity the call does not have is skipped.
//
// Where it runs: priority 440, after every check (a cached answer never reaches it) and before
// assign-identity, whose X-Gatehouse-* headers and credential removal always have the last
// word. Headers the gateway owns cannot be touched at all — hop-by-hop ones, Host,
// Content-Length, Authorization, X-Request-Id, X-Gatehouse-*, forwarding and method-override
// headers (headers.ts) — the config is refused at save naming the rule. The request body is
// buffered only when there are request body rules (needsBody), the answer collected only when
// there are response body rules and it is JSON, not content-encoded, and within maxBodyBytes.
import { z } from "zod";
import { HOP_BY_HOP } from "../../http/hop-by-hop.ts";
import { problemAnswer } from "../answers.ts";
import { inboundHeaderVerdict } from "../headers.ts";
import { definePolicy, type CallerIdentity, type PolicyContext } from "../policy.ts";
import { FORBIDDEN_SEGMENTS, isJsonContentType, parseJsonObject, removeField, setField } from "../transform/json-fields.ts";
import { compilePathRewrite, patternGroups, templateProblem, type PathRewrite } from "../transform/path-rewrite.ts";

const IDENTITY_FIELDS = ["appId", "clientId", "developerId", "userSub", "scopes", "productId", "authKind"] as const;
type IdentityField = (typeof IDENTITY_FIELDS)[number];

const FromIdentity = z.object({ fromIdentity: z.enum(IDENTITY_FIELDS, { error: `fromIdentity must be one of ${IDENTITY_FIELDS.join(", ")}` }) }).strict();
const TextValue = z.union(
  [
    z
      .string()
      .max(4096)
      .regex(/^[\t\x20-\x7e\x80-\xff]*$/, { error: "header and query values must be printable text" }),
    FromIdentity,
  ],
  {
    error: `a value is text, or {"fromIdentity": one of ${IDENTITY_FIELDS.join(", ")}}`,
  },
);
const BodyValue = z.union([FromIdentity, z.object({ value: z.unknown() }).strict()], {
  error: `a body value is {"value": <any JSON>} or {"fromIdentity": one of ${IDENTITY_FIELDS.join(", ")}}`,
});

const TOKEN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/;

/** Request headers the gateway owns: never removed, renamed or set by a transform. */
function ownedRequestHeader(name: string): boolean {
  return HOP_BY_HOP.has(name) || name === "host" || name === "content-length" || name === "authorization" || name === "cookie2" || inboundHeaderVerdict(name) !== "keep";
}
/** Answer headers that describe the transfer or the gateway's own work. */
function ownedResponseHeader(name: string): boolean {
  return HOP_BY_HOP.has(name) || name === "content-length" || name === "x-request-id" || name === "x-cache" || name === "age" || name.startsWith("x-gatehouse-");
}

/** Why a header name cannot be used on this side, or null. */
function headerNameProblem(name: string, owned: (name: string) => boolean, side: string): string | null {
  if (!TOKEN.test(name)) return "a header name (letters, digits and -)";
  if (owned(name.toLowerCase())) return `${name} is the gateway's own header and cannot be changed by a transform (${side})`;
  return null;
}

function headerRules(owned: (name: string) => boolean, side: string) {
  const check = (name: string, ctx: z.RefinementCtx, path: (string | number)[]) => {
    const problem = headerNameProblem(name, owned, side);
    if (problem) ctx.addIssue({ code: "custom", path, message: problem });
  };
  const lower = <T>(record: Record<string, T>) => Object.fromEntries(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
  // names checked here rather than as record keys: zod reports a refused key only as "invalid key"
  const names = z
    .array(z.string())
    .max(50)
    .default([])
    .superRefine((list, ctx) => list.forEach((name, i) => check(name, ctx, [i])))
    .transform((list) => list.map((n) => n.toLowerCase()));
  const valued = <T extends z.ZodType>(value: T) =>
    z
      .record(z.string(), value)
      .default({})
      .superRefine((record, ctx) => Object.keys(record).forEach((name) => check(name, ctx, [name])))
      .transform((record) => lower(record as Record<string, z.infer<T>>));
  return z
    .object({
      remove: names,
      rename: z
        .record(z.string(), z.string())
        .default({})
        .superRefine((record, ctx) => Object.entries(record).forEach(([from, to]) => (check(from, ctx, [from]), check(to, ctx, [from]))))
        .transform((record) => Object.fromEntries(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v.toLowerCase()]))),
      replace: valued(TextValue),
      add: valued(TextValue),
      set: valued(TextValue),
    })
    .strict();
}

const QueryName = z.string().min(1).max(100);
const QueryRules = z
  .object({
    remove: z.array(QueryName).max(50).default([]),
    rename: z.record(QueryName, QueryName).default({}),
    replace: z.record(QueryName, TextValue).default({}),
    add: z.record(QueryName, TextValue).default({}),
    set: z.record(QueryName, TextValue).default({}),
  })
  .strict();

const DottedPath = z
  .string()
  .regex(/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+){0,15}$/, { error: 'a dotted path of field names, like "customer.address.city"' })
  .refine((p) => !p.split(".").some((s) => FORBIDDEN_SEGMENTS.has(s)), { error: "__proto__, prototype and constructor cannot be fields here" });
const BodyRules = z
  .object({
    remove: z.array(DottedPath).max(50).default([]),
    set: z.record(DottedPath, BodyValue).default({}),
  })
  .strict();

const PathRule = z
  .object({ from: z.string().min(1).max(500), to: z.string().min(1).max(500) })
  .strict()
  .superRefine((rule, ctx) => {
    const groups = patternGroups(rule.from);
    if (typeof groups === "string") return void ctx.addIssue({ code: "custom", path: ["from"], message: `the pattern cannot be used: ${groups}` });
    const problem = templateProblem(rule.to, groups);
    if (problem) ctx.addIssue({ code: "custom", path: ["to"], message: `the rewritten path is refused: ${problem}` });
  });

export const TransformConfig = z
  .object({
    request: z
      .object({
        headers: headerRules(ownedRequestHeader, "request").optional(),
        query: QueryRules.optional(),
        path: PathRule.optional(),
        body: BodyRules.optional(),
      })
      .strict()
      .default({}),
    response: z
      .object({
        headers: headerRules(ownedResponseHeader, "response").optional(),
        body: BodyRules.optional(),
        /** JSON answers larger than this go through unchanged. */
        maxBodyBytes: z
          .number()
          .int()
          .min(1)
          .max(8 * 1024 * 1024)
          .default(1024 * 1024),
      })
      .strict()
      .default({ maxBodyBytes: 1024 * 1024 }),
  })
  .strict()
  .transform((config) => ({ ...config, rewrite: config.request.path ? compilePathRewrite(config.request.path.from, config.request.path.to) : null }));
export type TransformConfig = z.infer<typeof TransformConfig>;

type HeaderRules = z.infer<ReturnType<typeof headerRules>>;
type QueryRulesT = z.infer<typeof QueryRules>;
type BodyRulesT = z.infer<typeof BodyRules>;
type Value = z.infer<typeof TextValue> | z.infer<typeof BodyValue>;

const NAME = "transform";

function identityValue(ctx: PolicyContext, field: IdentityField): string | string[] | null {
  const identity: CallerIdentity | null = ctx.identity;
  if (field === "productId") return ctx.productId;
  if (!identity) return null;
  if (field === "scopes") return [...identity.scopes];
  if (field === "authKind") return identity.kind;
  return identity[field] || null; // "" where the credential does not tell (a token's client id)
}

/** A header or query value; null when it comes from an identity the call lacks. */
function textOf(ctx: PolicyContext, value: Value): string | null {
  if (typeof value === "string") return value;
  if ("fromIdentity" in value) {
    const v = identityValue(ctx, value.fromIdentity);
    return v === null ? null : Array.isArray(v) ? v.join(" ") : v;
  }
  return null;
}

/** A body value; undefined when it comes from an identity the call lacks. */
function jsonOf(ctx: PolicyContext, value: Value): unknown {
  if (typeof value === "string") return value;
  if ("fromIdentity" in value) return identityValue(ctx, value.fromIdentity) ?? undefined;
  return value.value;
}

function editHeaders(ctx: PolicyContext, headers: Record<string, string | string[] | undefined>, rules: HeaderRules): void {
  for (const name of rules.remove) delete headers[name];
  for (const [from, to] of Object.entries(rules.rename)) {
    if (headers[from] === undefined) continue;
    headers[to] = headers[from];
    delete headers[from];
  }
  for (const [name, value] of Object.entries(rules.replace)) {
    const text = textOf(ctx, value);
    if (headers[name] !== undefined && text !== null) headers[name] = text;
  }
  for (const [name, value] of Object.entries(rules.add)) {
    const text = textOf(ctx, value);
    if (headers[name] === undefined && text !== null) headers[name] = text;
  }
  for (const [name, value] of Object.entries(rules.set)) {
    const text = textOf(ctx, value);
    if (text !== null) headers[name] = text;
  }
}

function editQuery(ctx: PolicyContext, query: URLSearchParams, rules: QueryRulesT): void {
  for (const name of rules.remove) query.delete(name);
  for (const [from, to] of Object.entries(rules.rename)) {
    if (!query.has(from)) continue;
    const values = query.getAll(from);
    query.delete(from);
    for (const v of values) query.append(to, v);
  }
  for (const [name, value] of Object.entries(rules.replace)) {
    const text = textOf(ctx, value);
    if (query.has(name) && text !== null) query.set(name, text);
  }
  for (const [name, value] of Object.entries(rules.add)) {
    const text = textOf(ctx, value);
    if (!query.has(name) && text !== null) query.set(name, text);
  }
  for (const [name, value] of Object.entries(rules.set)) {
    const text = textOf(ctx, value);
    if (text !== null) query.set(name, text);
  }
}

/** The document with the rules applied, or null when the bytes are not a JSON object. */
function editBody(ctx: PolicyContext, bytes: Buffer, rules: BodyRulesT): Buffer | null {
  const document = parseJsonObject(bytes);
  if (!document) return null;
  for (const path of rules.remove) removeField(document, path.split("."));
  for (const [path, value] of Object.entries(rules.set)) {
    const json = jsonOf(ctx, value);
    if (json !== undefined) setField(document, path.split("."), json);
  }
  return Buffer.from(JSON.stringify(document), "utf8");
}

const hasBodyRules = (rules: BodyRulesT | undefined) => rules !== undefined && (rules.remove.length > 0 || Object.keys(rules.set).length > 0);

export const transform = definePolicy<TransformConfig>({
  name: NAME,
  priority: 440,
  configSchema: TransformConfig as unknown as z.ZodType<TransformConfig>,
  needsBody: (config) => hasBodyRules(config.request.body),
  access(ctx, config) {
    const request = config.request;
    if (config.rewrite) {
      const rewritten = (config.rewrite as PathRewrite).apply(ctx.path);
      if (rewritten === "refused") {
        return problemAnswer(400, {
          policy: NAME,
          code: "path_rewrite_refused",
          title: "Invalid path",
          detail: "This path cannot be sent to the API: its rewritten form is not a safe path.",
        });
      }
      if (rewritten !== "unchanged") ctx.path = rewritten.path;
    }
    if (request.query) editQuery(ctx, ctx.query, request.query);
    if (request.headers) editHeaders(ctx, ctx.upstreamHeaders as Record<string, string | string[] | undefined>, request.headers);
    if (request.body && ctx.body && ctx.body.length > 0 && hasBodyRules(request.body) && isJsonContentType(ctx.req.headers["content-type"])) {
      const edited = editBody(ctx, ctx.body, request.body);
      if (edited) ctx.body = edited;
    }
    return undefined;
  },
  response(ctx, config, upstream) {
    if (config.response.headers) editHeaders(ctx, upstream.headers, config.response.headers);
  },
  wantsResponseBody(_ctx, config, upstream) {
    if (!hasBodyRules(config.response.body) || !isJsonContentType(upstream.headers["content-type"])) return false;
    const encoding = upstream.headers["content-encoding"];
    if (encoding !== undefined && encoding !== "identity") return false;
    return Number(upstream.headers["content-length"] ?? 0) <= config.response.maxBodyBytes;
  },
  responseBody(ctx, config, response) {
    if (response.body.length === 0 || response.body.length > config.response.maxBodyBytes) return;
    const edited = editBody(ctx, response.body, config.response.body!);
    if (edited) response.body = edited;
  },
});
