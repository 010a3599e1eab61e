// Secrets never leave through an export or a plan. A proxy can hold one in two places: a
// transform step's constant for a credential-like request header, query parameter or body field
// (an upstream's API key, set by the gateway), and a credential-like query parameter of a target
// URL. Those values are written as KEPT_SECRET; an apply reads KEPT_SECRET as "keep what this
// installation has there" and refuses it where the installation has nothing to keep. A file may
// still carry a real value, which an apply writes (and the next export hides again).
import type { ProxyEntry } from "./schema.ts";

export const KEPT_SECRET = "__kept_secret__";

/** Names that carry credentials by convention: x-api-key, apikey, access_token, client-secret, password, sig… */
const SECRET_NAME = /auth|token|secret|key|pass|pwd|credential|signature|\bsig\b|session|cookie/i;

type Path = Array<string | number>;

function getAt(value: unknown, path: Path): unknown {
  let node = value;
  for (const segment of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

function setAt(value: unknown, path: Path, replacement: unknown): void {
  const parent = getAt(value, path.slice(0, -1));
  if (parent && typeof parent === "object") (parent as Record<string | number, unknown>)[path.at(-1)!] = replacement;
}

const clone = <T>(value: T): T => structuredClone(value);

/** The paths (inside a step's config) of a transform's credential-like constants. */
function transformSecretPaths(config: unknown): Path[] {
  const paths: Path[] = [];
  const request = getAt(config, ["request"]);
  for (const section of ["headers", "query"]) {
    for (const op of ["replace", "add", "set"]) {
      const record = getAt(request, [section, op]);
      if (!record || typeof record !== "object") continue;
      for (const [name, value] of Object.entries(record)) if (typeof value === "string" && SECRET_NAME.test(name)) paths.push(["request", section, op, name]);
    }
  }
  const body = getAt(request, ["body", "set"]);
  if (body && typeof body === "object") {
    for (const [field, value] of Object.entries(body))
      if (value && typeof value === "object" && "value" in value && SECRET_NAME.test(field)) paths.push(["request", "body", "set", field, "value"]);
  }
  return paths;
}

const URL_PARAMETER = /([?&])([^=&#]+)=([^&#]*)/g;

function parameterName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, " "));
  } catch {
    return raw;
  }
}

/** The URL with the values of its credential-like query parameters replaced by KEPT_SECRET. */
export function redactUrl(url: string): string {
  return url.replace(URL_PARAMETER, (whole, separator: string, name: string, value: string) =>
    value && value !== KEPT_SECRET && SECRET_NAME.test(parameterName(name)) ? `${separator}${name}=${KEPT_SECRET}` : whole,
  );
}

/** The proxy as a file shows it: every secret replaced by KEPT_SECRET. */
export function redactProxy(proxy: ProxyEntry): ProxyEntry {
  const out = clone(proxy);
  out.targetUrl = redactUrl(out.targetUrl);
  out.upstream.targets?.forEach((target) => (target.url = redactUrl(target.url)));
  for (const step of out.policies) {
    if (step.policy !== "transform") continue;
    for (const path of transformSecretPaths(step.config)) setAt(step.config, path, KEPT_SECRET);
  }
  return out;
}

/** Every place of a value (inside a step's config) that is exactly KEPT_SECRET. */
function placeholders(value: unknown, path: Path = []): Path[] {
  if (value === KEPT_SECRET) return [path];
  if (Array.isArray(value)) return value.flatMap((item, i) => placeholders(item, [...path, i]));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => placeholders(v, [...path, k]));
  return [];
}

/** The proxy with every KEPT_SECRET replaced by what the installation has at the same place
 * (`current`: the proxy as stored, or undefined when it is new). Where it has nothing, `report`
 * hears the path (inside the proxy) and nothing is replaced. */
export function restoreProxy(desired: ProxyEntry, current: ProxyEntry | undefined, report: (path: Path, message: string) => void): ProxyEntry {
  const out = clone(desired);
  const missing = "is a placeholder for a secret this installation does not have here: write the value itself";
  const storedUrls = current ? [current.targetUrl, ...(current.upstream.targets ?? []).map((t) => t.url)] : [];
  const restoreUrl = (url: string, path: Path): string => {
    if (!url.includes(`=${KEPT_SECRET}`)) return url;
    const stored = storedUrls.find((candidate) => redactUrl(candidate) === url);
    if (stored === undefined) report(path, `${KEPT_SECRET} ${missing}`);
    return stored ?? url;
  };
  out.targetUrl = restoreUrl(out.targetUrl, ["targetUrl"]);
  out.upstream.targets?.forEach((target, i) => (target.url = restoreUrl(target.url, ["upstream", "targets", i, "url"])));
  out.policies.forEach((step, i) => {
    const stored = current?.policies.find((s) => s.policy === step.policy)?.config;
    for (const path of placeholders(step.config)) {
      const value = getAt(stored, path);
      if (value === undefined || value === KEPT_SECRET) report(["policies", i, "config", ...path], `${KEPT_SECRET} ${missing}`);
      else setAt(step.config, path, clone(value));
    }
  });
  return out;
}
