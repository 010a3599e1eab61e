import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "./context.ts";
import { checkLogo, getBranding, readLogo, removeLogo, setLogo, updateBranding } from "./branding.ts";
import { PortalError } from "./errors.ts";
import { sniffLogoType } from "./logo-image.ts";
import { createDeveloper, createTestPortal } from "./test-context.ts";

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]);
const WEBP = new Uint8Array([...Buffer.from("RIFF"), 36, 0, 0, 0, ...Buffer.from("WEBPVP8 ")]);
const text = (s: string) => new Uint8Array(Buffer.from(s));

let ctx: Awaited<ReturnType<typeof createTestPortal>>;
let admin: Actor;
let developer: Actor;

beforeAll(async () => {
  ctx = await createTestPortal();
  admin = await createDeveloper(ctx, "admin@example.com", "admin");
  developer = await createDeveloper(ctx, "dev@example.com");
});
afterAll(() => ctx.close());

function failure(run: () => unknown): { code: string; fields?: Record<string, string> } {
  try {
    run();
  } catch (error) {
    if (error instanceof PortalError) return { code: error.code, fields: error.details?.fields };
    throw error;
  }
  return { code: "ok" };
}

describe("logo bytes", () => {
  it("recognises PNG, JPEG and WebP by their signatures", () => {
    expect(sniffLogoType(PNG)).toBe("image/png");
    expect(sniffLogoType(JPEG)).toBe("image/jpeg");
    expect(sniffLogoType(WEBP)).toBe("image/webp");
  });

  it("takes SVG only as text with an <svg> root", () => {
    expect(sniffLogoType(text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>'))).toBe("image/svg+xml");
    expect(sniffLogoType(text('\uFEFF<?xml version="1.0"?>\n<!-- logo -->\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x">\n<svg>\n</svg>\n'))).toBe("image/svg+xml");
    expect(sniffLogoType(text("<html><body><svg></svg></body></html>"))).toBeNull();
    expect(sniffLogoType(text("<!DOCTYPE svg [<!ENTITY x 'boom'>]><svg>&x;</svg>"))).toBeNull();
    expect(sniffLogoType(text("<svg></svg><script>alert(1)</script>"))).toBeNull();
    expect(sniffLogoType(Uint8Array.from([0x3c, 0x73, 0x76, 0x67, 0xff, 0xfe, 0x3e]))).toBeNull(); // not UTF-8
    expect(sniffLogoType(text(" ".repeat(100_000) + "x"))).toBeNull();
  });

  it("refuses HTML posing as a PNG, a declared type the bytes contradict, empty and oversized files", () => {
    expect(failure(() => checkLogo(text("<!doctype html><script>alert(1)</script>"), "image/png")).code).toBe("unsupported_type");
    expect(failure(() => checkLogo(JPEG, "image/png")).code).toBe("unsupported_type");
    expect(failure(() => checkLogo(PNG, "text/html")).code).toBe("unsupported_type");
    expect(failure(() => checkLogo(new Uint8Array(), "image/png")).code).toBe("invalid");
    const big = new Uint8Array(256 * 1024 + 1);
    big.set(PNG);
    expect(failure(() => checkLogo(big, "image/png")).code).toBe("too_large");
    expect(checkLogo(PNG, "image/png")).toBe("image/png");
    expect(checkLogo(PNG, "application/octet-stream")).toBe("image/png");
    expect(checkLogo(text("<svg></svg>"), "image/svg+xml; charset=utf-8")).toBe("image/svg+xml");
  });
});

describe("branding settings", () => {
  it("has defaults before an admin saves anything", async () => {
    expect(await getBranding(ctx)).toMatchObject({ organisation: "Gatehouse", primaryColor: "#2563eb", logoUrl: null, termsMarkdown: "" });
  });

  it("validates each field in plain words", async () => {
    const invalid = async (input: object) => {
      try {
        await updateBranding(ctx, admin, input);
        return {};
      } catch (error) {
        return (error as PortalError).details?.fields ?? {};
      }
    };
    expect(await invalid({ organisation: "" })).toHaveProperty("organisation");
    expect(await invalid({ organisation: "x".repeat(81) })).toHaveProperty("organisation");
    expect(await invalid({ tagline: "x".repeat(201) })).toHaveProperty("tagline");
    expect(await invalid({ primaryColor: "blue" })).toHaveProperty("primaryColor");
    expect(await invalid({ accentColor: "#12345" })).toHaveProperty("accentColor");
    expect(await invalid({ termsMarkdown: "x".repeat(50_001) })).toHaveProperty("termsMarkdown");
    expect(await invalid({ logo: "nope" })).toHaveProperty("logo");
  });

  it("lets admins change some fields, keeps the rest, and audits it", async () => {
    await expect(updateBranding(ctx, developer, { organisation: "Mine" })).rejects.toMatchObject({ code: "forbidden" });
    await updateBranding(ctx, admin, { organisation: "Acme Corp", tagline: "APIs for everyone" });
    const saved = await updateBranding(ctx, admin, { primaryColor: "#AA3300" });
    expect(saved).toMatchObject({ organisation: "Acme Corp", tagline: "APIs for everyone", primaryColor: "#AA3300" });
    const audit = await ctx.db.auditEvent.findMany({ where: { targetType: "branding" } });
    expect(audit.map((a) => a.action)).toEqual(["branding.created", "branding.updated"]);
  });

  it("stores, serves and removes a logo (admins only)", async () => {
    await expect(setLogo(ctx, developer, PNG, "image/png")).rejects.toMatchObject({ code: "forbidden" });
    const saved = await setLogo(ctx, admin, PNG, "image/png");
    expect(saved.logoUrl).toMatch(/^\/branding\/logo\?v=\d+$/);
    expect(saved.organisation).toBe("Acme Corp");
    const logo = await readLogo(ctx);
    expect(logo?.type).toBe("image/png");
    expect(Buffer.from(logo!.bytes).equals(Buffer.from(PNG))).toBe(true);
    expect((await removeLogo(ctx, admin)).logoUrl).toBeNull();
    expect(await readLogo(ctx)).toBeNull();
  });
});

describe("brand palette", () => {
  it("derives shades and keeps white text readable on the main one", async () => {
    const { brandPalette, contrastWithWhite } = await import("./brand-palette.ts");
    const dark = brandPalette("#1f5fd1");
    expect(dark["--color-brand-600"]).toBe("#1f5fd1");
    const light = brandPalette("#ffee00");
    expect(contrastWithWhite(light["--color-brand-600"])).toBeGreaterThanOrEqual(4.5);
    expect(contrastWithWhite(light["--color-brand-900"])).toBeGreaterThan(contrastWithWhite(light["--color-brand-700"]));
    expect(brandPalette("not a colour")["--color-brand-600"]).toBe("#2563eb");
  });

  it("derives dark-mode brand shades that read on the dark surface, and no stylesheet for the default colour", async () => {
    const { brandPaletteDark, brandStylesheet, contrastWithDarkSurface } = await import("./brand-palette.ts");
    for (const colour of ["#1f5fd1", "#000080", "#7a0019", "#ffee00"]) expect(contrastWithDarkSurface(brandPaletteDark(colour)["--color-brand-600"])).toBeGreaterThanOrEqual(4.5);
    expect(brandStylesheet("#2563EB", "#2563eb")).toBeNull();
    const css = brandStylesheet("#7a0019", "#2563eb")!;
    expect(css).toMatch(/^:root\{--color-brand-50:#[0-9a-f]{6};/);
    expect(css).toContain("@media (prefers-color-scheme: dark){:root{--color-brand-50:");
  });
});
