// The configuration file's schema, built from the management API's own inputs (ProductInput,
// ProxyInput, SecurityRuleInput, BotRuleInput, BrandingInput, GuideInput) so that a file can
// never hold what the API would refuse. What differs is only how resources refer to each other:
// by natural key (a product lists its proxies as "basePath@version", a guide names its product
// by slug), never by database id.
import { z } from "zod";
import { BotRuleInput } from "../../security/bot/rules.ts";
import { BrandingInput } from "../branding.ts";
import { CredentialSettingsInput } from "../credential-settings.ts";
import { GuideInput } from "../guides.ts";
import { ProductInput } from "../products.ts";
import { ProxyInput } from "../proxies.ts";
import { SecurityRuleInput } from "../security-rules.ts";
import type { ConfigResourceKind } from "./contract.ts";

/** A proxy named by its natural key: its base path and version, "orders/v2@v2". */
export const ProxyRef = z.string().regex(/^[a-z0-9][a-z0-9_/-]*@[\w.-]{1,20}$/, { error: 'a proxy as "basePath@version", e.g. "orders@v1"' });

export const ProductEntry = ProductInput.safeExtend({
  /** The proxies in the product. */
  proxies: z.array(ProxyRef).max(200).default([]),
});

/** A proxy without its pinned apps: app ids belong to one installation and are never in a file. */
export const ProxyEntry = ProxyInput.omit({ productIds: true, pinnedAppIds: true });

export const VirtualPatchEntry = SecurityRuleInput.omit({ kind: true });

/** Bot rules for a signature, or for an identity that means the same on every installation
 * (ip:, ua:, user:). Rules for app:, token: and key: name database ids and stay out of files. */
export const BotRuleEntry = BotRuleInput;

export const BrandingEntry = BrandingInput.safeExtend({ maxRenewalGraceDays: CredentialSettingsInput.shape.maxRenewalGraceDays });

const guide = GuideInput.shape;
export const GuideEntry = z
  .object({
    slug: guide.slug,
    title: guide.title,
    body: guide.body,
    /** The product it is about, by slug; null for a portal-wide guide. */
    product: ProductInput.shape.slug.nullable().default(null),
    position: guide.position,
    published: guide.published,
  })
  .strict();

export const ConfigDocumentSchema = z
  .object({
    products: z.array(ProductEntry).optional(),
    proxies: z.array(ProxyEntry).optional(),
    virtualPatches: z.array(VirtualPatchEntry).optional(),
    botRules: z.array(BotRuleEntry).optional(),
    branding: BrandingEntry.optional(),
    guides: z.array(GuideEntry).optional(),
  })
  .strict();

export type ConfigDocument = z.infer<typeof ConfigDocumentSchema>;
export type ProductEntry = z.infer<typeof ProductEntry>;
export type ProxyEntry = z.infer<typeof ProxyEntry>;
export type VirtualPatchEntry = z.infer<typeof VirtualPatchEntry>;
export type BotRuleEntry = z.infer<typeof BotRuleEntry>;
export type BrandingEntry = z.infer<typeof BrandingEntry>;
export type GuideEntry = z.infer<typeof GuideEntry>;

/** The list kinds, in the file's order. */
export const LIST_KINDS = ["products", "proxies", "virtualPatches", "botRules", "guides"] as const;
export type ListKind = (typeof LIST_KINDS)[number];
/** Every top-level key, in the file's order. */
export const DOCUMENT_KEYS = ["products", "proxies", "virtualPatches", "botRules", "branding", "guides"] as const;
export type DocumentKey = (typeof DOCUMENT_KEYS)[number];

export const RESOURCE_KIND: Record<DocumentKey, ConfigResourceKind> = {
  products: "product",
  proxies: "proxy",
  virtualPatches: "virtual_patch",
  botRules: "bot_rule",
  branding: "branding",
  guides: "guide",
};

/** The file each kind goes to when a configuration is a directory. */
export const FILE_OF: Record<DocumentKey, string> = {
  products: "products.yaml",
  proxies: "proxies.yaml",
  virtualPatches: "virtual-patches.yaml",
  botRules: "bot-rules.yaml",
  branding: "branding.yaml",
  guides: "guides.yaml",
};

export const proxyKey = (p: { basePath: string; version: string }) => `${p.basePath}@${p.version}`;

/** Each list kind's natural key. */
export const KEY_OF: { [K in ListKind]: (entry: NonNullable<ConfigDocument[K]>[number]) => string } = {
  products: (p) => p.slug,
  proxies: (p) => proxyKey(p),
  virtualPatches: (r) => r.name,
  botRules: (r) => `${r.kind}:${r.target}`,
  guides: (g) => g.slug,
};

/** Identity rules naming one installation's rows (apps, tokens, credentials by id). */
export const INSTALLATION_IDENTITY = /^(app|token|key):/;
export const isPortableBotRule = (rule: { kind: string; target: string }) => rule.kind === "signature" || !INSTALLATION_IDENTITY.test(rule.target);
