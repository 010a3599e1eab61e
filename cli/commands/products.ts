// gatehouse products: API products — scopes, quota, approval type, token lifetimes.
import { parseChoice, parseInteger, parseQuota, readJsonObject, splitList, type Opts } from "../args.ts";
import { UsageError } from "../errors.ts";
import type { ApiClient } from "../http-client.ts";
import { listCommand, seg, showCommand, type Group } from "../command.ts";
import { columnsOf, details } from "../output.ts";

export interface Product {
  id: string;
  slug: string;
  name: string;
  scopes: string[];
  approvalType: string;
  visibility: string;
  quotaLimit: number | null;
  quotaIntervalSeconds: number | null;
}

const columns = columnsOf<Product>({
  id: "id",
  slug: "slug",
  name: "name",
  approval: "approvalType",
  visibility: "visibility",
  scopes: "scopes",
  quota: (p) => (p.quotaLimit ? `${p.quotaLimit}/${p.quotaIntervalSeconds}s` : null),
});

const FIELD_OPTIONS = {
  file: { type: "string" },
  slug: { type: "string" },
  name: { type: "string" },
  description: { type: "string" },
  scopes: { type: "string" },
  "describe-scope": { type: "string", multiple: true },
  approval: { type: "string" },
  visibility: { type: "string" },
  quota: { type: "string" },
  "quota-window": { type: "string" },
  "access-token-ttl": { type: "string" },
  "refresh-token-ttl": { type: "string" },
  "refresh-idle-ttl": { type: "string" },
  "credential-ttl": { type: "string" },
  "token-format": { type: "string" },
} as const;

const FIELD_USAGE =
  "[--file product.json] [--description D] [--scopes a,b] [--describe-scope 'scope=words' ...] [--approval auto|manual] [--visibility public|private] [--quota N/SECONDS|off] " +
  "[--quota-window rolling|calendar] [--access-token-ttl S] [--refresh-token-ttl S] [--refresh-idle-ttl S] [--credential-ttl S|off] [--token-format opaque|jwt]";

/** --describe-scope 'orders:read=See your orders', repeated: the words end users read on the
 * consent page (all of them: the product's descriptions are replaced). */
function scopeDescriptions(values: string[]): Record<string, string> {
  return Object.fromEntries(
    values.map((value) => {
      const eq = value.indexOf("=");
      if (eq < 1) throw new UsageError(`--describe-scope takes scope=words, got "${value}"`);
      return [value.slice(0, eq).trim(), value.slice(eq + 1).trim()];
    }),
  );
}

/** The API body from --file (if any) with the flags on top; only what was given. */
export function productBody(opts: Opts): Record<string, unknown> {
  const body: Record<string, unknown> = opts.has("file") ? readJsonObject("file", opts.string("file")!) : {};
  const s = (name: string) => opts.string(name);
  if (s("slug") !== undefined) body.slug = s("slug");
  if (s("name") !== undefined) body.name = s("name");
  if (s("description") !== undefined) body.description = s("description");
  if (s("scopes") !== undefined) body.scopes = splitList(s("scopes")!);
  if (opts.has("describe-scope")) body.scopeDescriptions = scopeDescriptions(opts.values["describe-scope"] as string[]);
  if (s("approval") !== undefined) body.approvalType = parseChoice("approval", s("approval")!, ["auto", "manual"]);
  if (s("visibility") !== undefined) body.visibility = parseChoice("visibility", s("visibility")!, ["public", "private"]);
  if (s("quota") !== undefined) Object.assign(body, parseQuota(s("quota")!));
  if (s("quota-window") !== undefined) body.quotaWindow = parseChoice("quota-window", s("quota-window")!, ["rolling", "calendar"]);
  if (s("access-token-ttl") !== undefined) body.accessTokenTtlSeconds = parseInteger("access-token-ttl", s("access-token-ttl")!, 1);
  if (s("refresh-token-ttl") !== undefined) body.refreshTokenTtlSeconds = parseInteger("refresh-token-ttl", s("refresh-token-ttl")!, 1);
  if (s("refresh-idle-ttl") !== undefined) body.refreshIdleTtlSeconds = parseInteger("refresh-idle-ttl", s("refresh-idle-ttl")!, 1);
  if (s("token-format") !== undefined) body.accessTokenFormat = parseChoice("token-format", s("token-format")!, ["opaque", "jwt"]);
  if (s("credential-ttl") !== undefined) body.credentialTtlSeconds = s("credential-ttl") === "off" ? null : parseInteger("credential-ttl", s("credential-ttl")!, 1);
  return body;
}

/** Products are addressed by id or slug on the command line; changes need the id. */
export async function resolveProduct(client: ApiClient, ref: string): Promise<Product> {
  return client.get<Product>(`/products/${seg(ref)}`);
}

export const products: Group = {
  summary: "API products: scopes, quota, approval type",
  commands: {
    list: listCommand<Product>("/products", columns, { summary: "List products" }),
    // The API finds a product by id or slug.
    get: showCommand<Product>("/products", { summary: "Show one product", arg: "<id|slug>", text: details }),
    create: {
      summary: "Create a product (flags override --file)",
      usage: `--slug S --name N ${FIELD_USAGE}`,
      options: FIELD_OPTIONS,
      async run({ client, opts }) {
        const body = productBody(opts);
        if (!body.slug || !body.name) throw new UsageError("--slug and --name are required (or give them in --file)");
        const product = await client.post<Product>("/products", body);
        return { data: product, text: `Created product ${product.slug} (${product.id})` };
      },
    },
    update: {
      summary: "Change the given fields of a product",
      args: ["<id|slug>"],
      usage: `[--slug S] [--name N] ${FIELD_USAGE}`,
      options: FIELD_OPTIONS,
      async run({ client, args, opts }) {
        const body = productBody(opts);
        if (Object.keys(body).length === 0) throw new UsageError("nothing to change: give at least one field option or --file");
        const { id } = await resolveProduct(client, args[0]!);
        const product = await client.patch<Product>(`/products/${seg(id)}`, body);
        return { data: product, text: `Updated product ${product.slug} (${product.id})` };
      },
    },
    delete: {
      summary: "Delete a product",
      args: ["<id|slug>"],
      async run({ client, args }) {
        const { id, slug } = await resolveProduct(client, args[0]!);
        await client.delete(`/products/${seg(id)}`);
        return { data: undefined, text: `Deleted product ${slug} (${id})` };
      },
    },
  },
};
