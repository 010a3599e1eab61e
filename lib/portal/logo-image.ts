// What an uploaded logo really is, judged by its bytes rather than the type its sender
// declared: PNG, JPEG and WebP by their signatures, SVG by being UTF-8 text whose root
// element is <svg>. Anything else (an HTML page renamed logo.png) is refused.

export const LOGO_TYPES = ["image/png", "image/jpeg", "image/webp", "image/svg+xml"] as const;
export type LogoType = (typeof LOGO_TYPES)[number];
export const MAX_LOGO_BYTES = 256 * 1024;

const startsWith = (bytes: Uint8Array, signature: number[], offset = 0) => signature.every((b, i) => bytes[offset + i] === b);

/** The image type the bytes are, or null when they are none of the accepted ones. */
export function sniffLogoType(bytes: Uint8Array): LogoType | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
  // RIFF....WEBP
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return "image/webp";
  return isSvg(bytes) ? "image/svg+xml" : null;
}

// An optional XML declaration, comments and a DOCTYPE without an internal subset (no entity
// tricks), then the <svg> root, and nothing after its closing tag.
const SVG_DOCUMENT = /^(?:<\?xml[^>]*\?>)?(?:\s|<!--[\s\S]*?-->|<!DOCTYPE\s+svg\b[^>[]*>)*<svg[\s/>][\s\S]*(?:<\/svg\s*>|\/>)(?:\s|<!--[\s\S]*?-->)*$/;

function isSvg(bytes: Uint8Array): boolean {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  return SVG_DOCUMENT.test(text.replace(/^\uFEFF/, ""));
}

/** The media type without parameters, lower-cased ("image/svg+xml; charset=utf-8" → "image/svg+xml"). */
export function baseMediaType(contentType: string | null | undefined): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}
