// The organisation's portal branding: name, tagline, colours, logo and terms of use. One row
// (PortalSettings "portal"); until an admin saves it, the defaults below apply. Anyone may read
// it (every page shows it); only admins change it, and every change is audited.
import { z } from "zod";
import { isAdmin, type Actor, type PortalContext } from "./context.ts";
import { forbidden, PortalError } from "./errors.ts";
import { saveAudited } from "./audit.ts";
import { parseInput } from "./validation.ts";
import { baseMediaType, LOGO_TYPES, MAX_LOGO_BYTES, sniffLogoType, type LogoType } from "./logo-image.ts";

const SETTINGS_ID = "portal";
const Colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, { error: "a colour as #rrggbb, e.g. #2563eb" });

export const BrandingInput = z
  .object({
    organisation: z.string().trim().min(1, { error: "the organisation needs a name" }).max(80, { error: "at most 80 characters" }),
    tagline: z.string().trim().max(200, { error: "at most 200 characters" }),
    primaryColor: Colour,
    accentColor: Colour,
    termsMarkdown: z.string().max(50_000, { error: "at most 50,000 characters" }),
  })
  .strict();
export type BrandingInput = z.infer<typeof BrandingInput>;

export const DEFAULT_BRANDING: BrandingInput = { organisation: "Gatehouse", tagline: "", primaryColor: "#2563eb", accentColor: "#0f172a", termsMarkdown: "" };

interface SettingsRow extends BrandingInput {
  id: string;
  logoType: string | null;
  updatedAt: Date;
}

export interface BrandingView extends BrandingInput {
  /** Where the logo is served (changes with every save, so caches never show a stale one), or null. */
  logoUrl: string | null;
  logoType: string | null;
  updatedAt: string | null;
}

const brandingView = (row: SettingsRow | null): BrandingView => ({
  organisation: row?.organisation ?? DEFAULT_BRANDING.organisation,
  tagline: row?.tagline ?? DEFAULT_BRANDING.tagline,
  primaryColor: row?.primaryColor ?? DEFAULT_BRANDING.primaryColor,
  accentColor: row?.accentColor ?? DEFAULT_BRANDING.accentColor,
  termsMarkdown: row?.termsMarkdown ?? DEFAULT_BRANDING.termsMarkdown,
  logoUrl: row?.logoType ? `/branding/logo?v=${row.updatedAt.getTime()}` : null,
  logoType: row?.logoType ?? null,
  updatedAt: row?.updatedAt.toISOString() ?? null,
});

// Never the logo's bytes: pages and the audit log only need to know there is one.
const WITHOUT_LOGO = { id: true, organisation: true, tagline: true, primaryColor: true, accentColor: true, termsMarkdown: true, logoType: true, updatedAt: true } as const;

const readSettings = (ctx: PortalContext): Promise<SettingsRow | null> => ctx.db.portalSettings.findUnique({ where: { id: SETTINGS_ID }, select: WITHOUT_LOGO });

export async function getBranding(ctx: PortalContext): Promise<BrandingView> {
  return brandingView(await readSettings(ctx));
}

/** An admin changes some of the settings; the others keep their values. */
export async function updateBranding(ctx: PortalContext, actor: Actor, input: unknown): Promise<BrandingView> {
  if (!isAdmin(actor)) throw forbidden();
  const before = await readSettings(ctx);
  const { logoUrl: _url, logoType: _type, updatedAt: _at, ...current } = brandingView(before);
  const data = parseInput(BrandingInput, { ...current, ...(typeof input === "object" && input ? input : {}) });
  const saved = await saveAudited(ctx, actor, { type: "branding", before, view: auditView }, (tx) =>
    tx.portalSettings.upsert({ where: { id: SETTINGS_ID }, create: { id: SETTINGS_ID, ...data }, update: data, select: WITHOUT_LOGO }),
  );
  return brandingView(saved);
}

const auditView = (row: SettingsRow) => ({ ...brandingView(row), termsMarkdown: `${row.termsMarkdown.length} characters` });

/** Checks an upload: its size, then its bytes against what it says it is. */
export function checkLogo(bytes: Uint8Array, declaredType: string | null | undefined): LogoType {
  if (bytes.byteLength === 0) throw new PortalError("invalid", "The logo file is empty.", { fields: { logo: "choose an image file" } });
  if (bytes.byteLength > MAX_LOGO_BYTES) throw new PortalError("too_large", `The logo is larger than ${MAX_LOGO_BYTES / 1024} KiB.`, { fields: { logo: "at most 256 KiB" } });
  const declared = baseMediaType(declaredType);
  const actual = sniffLogoType(bytes);
  const accepted = "PNG, JPEG, WebP or SVG";
  if (!actual) throw new PortalError("unsupported_type", `The logo must be a ${accepted} image.`, { fields: { logo: accepted } });
  // A declared type must agree with the bytes; a generic one (a form's file without a type) may not say.
  if (declared && declared !== "application/octet-stream" && declared !== actual) {
    throw new PortalError("unsupported_type", `The file says it is ${declared} but its contents are ${actual}.`, { fields: { logo: accepted } });
  }
  return actual;
}

export async function setLogo(ctx: PortalContext, actor: Actor, bytes: Uint8Array, declaredType: string | null | undefined): Promise<BrandingView> {
  if (!isAdmin(actor)) throw forbidden();
  const logoType = checkLogo(bytes, declaredType);
  const logo = new Uint8Array(bytes);
  const before = await readSettings(ctx);
  const saved = await saveAudited(ctx, actor, { type: "branding", before, view: auditView }, (tx) =>
    tx.portalSettings.upsert({ where: { id: SETTINGS_ID }, create: { id: SETTINGS_ID, logo, logoType }, update: { logo, logoType }, select: WITHOUT_LOGO }),
  );
  return brandingView(saved);
}

export async function removeLogo(ctx: PortalContext, actor: Actor): Promise<BrandingView> {
  if (!isAdmin(actor)) throw forbidden();
  const before = await readSettings(ctx);
  if (!before?.logoType) return brandingView(before);
  const saved = await saveAudited(ctx, actor, { type: "branding", before, view: auditView }, (tx) =>
    tx.portalSettings.update({ where: { id: SETTINGS_ID }, data: { logo: null, logoType: null }, select: WITHOUT_LOGO }),
  );
  return brandingView(saved);
}

/** The logo's bytes for serving, or null when none was uploaded. */
export async function readLogo(ctx: PortalContext): Promise<{ bytes: Uint8Array; type: LogoType; updatedAt: Date } | null> {
  const row = await ctx.db.portalSettings.findUnique({ where: { id: SETTINGS_ID }, select: { logo: true, logoType: true, updatedAt: true } });
  if (!row?.logo || !row.logoType || !(LOGO_TYPES as readonly string[]).includes(row.logoType)) return null;
  return { bytes: row.logo, type: row.logoType as LogoType, updatedAt: row.updatedAt };
}
