// gatehouse proxies: /gateway/{basePath}/… → target URL, with policies, an OpenAPI document
// and the products that include them.
import { parseChoice, readJsonObject, readText, type Opts } from "../args.ts";
import { UsageError } from "../errors.ts";
import type { ApiClient } from "../http-client.ts";
import { deleteCommand, listCommand, seg, showCommand, type Group } from "../command.ts";
import { columnsOf, details, sections, table } from "../output.ts";
import { resolveProduct } from "./products.ts";

interface Proxy {
  id: string;
  name: string;
  basePath: string;
  version: string;
  targetUrl: string;
  status: string;
  policies: Array<{ policy: string }>;
  openApiSpec: string | null;
  products?: Array<{ id: string; slug: string }>;
}

interface TargetHealthRow {
  url: string;
  weight: number;
  health: string;
  out: string | null;
  circuit: string | null;
  activeConnections: number;
  failuresTotal: number;
}

const columns = columnsOf<Proxy>({
  id: "id",
  name: "name",
  path: (p) => `/gateway/${p.basePath}`,
  version: "version",
  target: "targetUrl",
  status: "status",
  products: (p) => p.products?.map((x) => x.slug),
});

const proxyText = (proxy: Proxy) =>
  sections(
    [null, details({ ...proxy, openApiSpec: proxy.openApiSpec ? `${proxy.openApiSpec.length} characters` : null, products: proxy.products?.map((p) => p.slug) })],
    [
      "policies",
      table(proxy.policies, [
        { header: "policy", value: (p) => p.policy },
        { header: "config", value: (p) => (p as { config?: unknown }).config },
      ]),
    ],
  );

const FIELD_OPTIONS = {
  file: { type: "string" },
  name: { type: "string" },
  "base-path": { type: "string" },
  target: { type: "string" },
  version: { type: "string" },
  product: { type: "string", multiple: true },
  openapi: { type: "string" },
  policies: { type: "string" },
  "id-token": { type: "string" },
  status: { type: "string" },
  "case-sensitive-paths": { type: "string" },
  "method-override": { type: "string" },
  upstream: { type: "string" },
  "upstream-target": { type: "string", multiple: true },
} as const;

const FIELD_USAGE =
  "[--file proxy.json] [--version v1] [--product ID|SLUG]... [--openapi spec.yaml|off] [--policies chain.json] [--id-token none|claims|whole] [--status active|disabled] [--case-sensitive-paths on|off] [--method-override strip|honour] [--upstream upstream.json] [--upstream-target URL[=WEIGHT]]...";

async function proxyBody(client: ApiClient, opts: Opts): Promise<Record<string, unknown>> {
  const body: Record<string, unknown> = opts.has("file") ? readJsonObject("file", opts.string("file")!) : {};
  const s = (name: string) => opts.string(name);
  if (s("name") !== undefined) body.name = s("name");
  if (s("base-path") !== undefined) body.basePath = s("base-path")!.replace(/^\/+|\/+$/g, "");
  if (s("target") !== undefined) body.targetUrl = s("target");
  if (s("version") !== undefined) body.version = s("version");
  if (s("openapi") !== undefined) body.openApiSpec = s("openapi") === "off" ? null : readText("openapi", s("openapi")!);
  if (s("id-token") !== undefined) body.idTokenMode = parseChoice("id-token", s("id-token")!, ["none", "claims", "whole"]);
  if (s("status") !== undefined) body.status = parseChoice("status", s("status")!, ["active", "disabled"]);
  if (s("case-sensitive-paths") !== undefined) body.caseSensitivePaths = parseChoice("case-sensitive-paths", s("case-sensitive-paths")!, ["on", "off"]) === "on";
  if (s("method-override") !== undefined) body.methodOverride = parseChoice("method-override", s("method-override")!, ["strip", "honour"]);
  if (s("policies") !== undefined) {
    const chain = readJsonObject("policies", s("policies")!).policies;
    if (!Array.isArray(chain)) throw new UsageError(`--policies: ${s("policies")} must hold {"policies": [...]}`);
    body.policies = chain;
  }
  // Several targets: --upstream holds the settings ({"algorithm": …, "healthCheck": …}), each
  // --upstream-target one target in order (the first becomes the target URL).
  if (s("upstream") !== undefined) body.upstream = readJsonObject("upstream", s("upstream")!);
  const targets = opts.list("upstream-target");
  if (targets) {
    body.upstream = {
      ...((body.upstream as object | undefined) ?? {}),
      targets: targets.map((t) => {
        const at = t.lastIndexOf("=");
        const weight = at > 0 ? Number(t.slice(at + 1)) : NaN;
        if (at > 0 && !Number.isInteger(weight)) throw new UsageError(`--upstream-target ${t}: the weight after = must be a whole number`);
        return at > 0 ? { url: t.slice(0, at), weight } : { url: t };
      }),
    };
    if (body.targetUrl === undefined) body.targetUrl = (body.upstream as { targets: Array<{ url: string }> }).targets[0]!.url;
  }
  const products = opts.list("product");
  // The API wants product ids; slugs are friendlier to type.
  if (products) body.productIds = await Promise.all(products.map(async (ref) => (await resolveProduct(client, ref)).id));
  return body;
}

export const proxies: Group = {
  summary: "API proxies: base path, target, policies, OpenAPI document",
  commands: {
    list: listCommand<Proxy>("/proxies", columns, { summary: "List proxies" }),
    get: showCommand("/proxies", { summary: "Show one proxy (--json includes the OpenAPI document)", text: proxyText }),
    create: {
      summary: "Create a proxy (flags override --file)",
      usage: `--name N --base-path P --target URL ${FIELD_USAGE}`,
      options: FIELD_OPTIONS,
      async run({ client, opts }) {
        const body = await proxyBody(client, opts);
        const required = [
          ["name", "name"],
          ["basePath", "base-path"],
          ["targetUrl", "target"],
        ] as const;
        for (const [field, flag] of required) if (!body[field]) throw new UsageError(`--${flag} is required (or give ${field} in --file)`);
        const proxy = await client.post<Proxy>("/proxies", body);
        return { data: proxy, text: `Created proxy ${proxy.name} at /gateway/${proxy.basePath} (${proxy.id})` };
      },
    },
    update: {
      summary: "Change the given fields of a proxy",
      args: ["<id>"],
      usage: `[--name N] [--base-path P] [--target URL] ${FIELD_USAGE}`,
      options: FIELD_OPTIONS,
      async run({ client, args, opts }) {
        const body = await proxyBody(client, opts);
        if (Object.keys(body).length === 0) throw new UsageError("nothing to change: give at least one field option or --file");
        const proxy = await client.patch<Proxy>(`/proxies/${seg(args[0]!)}`, body);
        return { data: proxy, text: `Updated proxy ${proxy.name} (${proxy.id})` };
      },
    },
    targets: {
      summary: "Each gateway's view of a proxy's upstream targets: health, circuit, calls in flight, failures",
      args: ["<id>"],
      async run({ client, args }) {
        const health = await client.get<{ gateways: Array<{ gateway: string; targets: TargetHealthRow[] }> }>(`/proxies/${seg(args[0]!)}/targets/health`);
        const rows = health.gateways.flatMap((g, i) => g.targets.map((t) => ({ gateway: i + 1, ...t })));
        return {
          data: health,
          text: rows.length
            ? table(rows, [
                { header: "gateway", value: (r) => r.gateway },
                { header: "target", value: (r) => r.url },
                { header: "weight", value: (r) => r.weight },
                { header: "health", value: (r) => (r.out ? `${r.health} (${r.out})` : r.health) },
                { header: "circuit", value: (r) => r.circuit ?? "-" },
                { header: "in flight", value: (r) => r.activeConnections },
                { header: "failures", value: (r) => r.failuresTotal },
              ])
            : "No gateway reports targets for this proxy (a plain target URL).",
        };
      },
    },
    delete: deleteCommand("/proxies", { summary: "Delete a proxy", done: (id) => `Deleted proxy ${id}` }),
    "purge-cache": {
      summary: "Purge a proxy's cached answers (response-cache) on every instance",
      args: ["<id>"],
      usage: "[--path-prefix /users/]",
      options: { "path-prefix": { type: "string" } },
      async run({ client, args, opts }) {
        const prefix = opts.string("path-prefix");
        await client.delete(`/proxies/${seg(args[0]!)}/cache${prefix ? `?pathPrefix=${encodeURIComponent(prefix)}` : ""}`);
        return { data: undefined, text: prefix ? `Purged cached answers under ${prefix} of proxy ${args[0]}` : `Purged every cached answer of proxy ${args[0]}` };
      },
    },
  },
};
