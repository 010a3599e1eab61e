// The portal's brand colours derived from the one an admin picks: the shades the Tailwind
// theme names (brand-50 … brand-900, see app/globals.css). The main shade is darkened until
// white text on it, and it as text on white, reach WCAG AA contrast (4.5:1), whatever was picked.

type Rgb = [number, number, number];

const parse = (hex: string): Rgb => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb;
const toHex = (rgb: Rgb) =>
  `#${rgb
    .map((c) =>
      Math.round(Math.min(255, Math.max(0, c)))
        .toString(16)
        .padStart(2, "0"),
    )
    .join("")}`;
const mix = (a: Rgb, b: Rgb, amount: number): Rgb => a.map((c, i) => c + (b[i]! - c) * amount) as Rgb;

const WHITE: Rgb = [255, 255, 255];
const BLACK: Rgb = [0, 0, 0];

function luminance(rgb: Rgb): number {
  const [r, g, b] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

export function contrastWithWhite(hex: string): number {
  return 1.05 / (luminance(parse(hex)) + 0.05);
}

/** The dark theme's card surface (app/globals.css, --color-white in dark mode). */
const DARK_SURFACE: Rgb = [0x13, 0x1b, 0x2b];

export function contrastWithDarkSurface(hex: string): number {
  return (luminance(parse(hex)) + 0.05) / (luminance(DARK_SURFACE) + 0.05);
}

export type BrandPalette = Record<"--color-brand-50" | "--color-brand-100" | "--color-brand-600" | "--color-brand-700" | "--color-brand-900", string>;

export function brandPalette(primary: string): BrandPalette {
  if (!/^#[0-9a-fA-F]{6}$/.test(primary)) primary = "#2563eb";
  let main = parse(primary);
  for (let step = 0; step < 20 && contrastWithWhite(toHex(main)) < 4.5; step++) main = mix(main, BLACK, 0.1);
  return {
    "--color-brand-50": toHex(mix(parse(primary), WHITE, 0.92)),
    "--color-brand-100": toHex(mix(parse(primary), WHITE, 0.82)),
    "--color-brand-600": toHex(main),
    "--color-brand-700": toHex(mix(main, BLACK, 0.2)),
    "--color-brand-900": toHex(mix(main, BLACK, 0.55)),
  };
}

/** The same shades for dark mode: the main shade is lightened until it reads on the dark surface
 * (as text, and as a button with surface-coloured text), tints become dark washes of the colour. */
export function brandPaletteDark(primary: string): BrandPalette {
  if (!/^#[0-9a-fA-F]{6}$/.test(primary)) primary = "#2563eb";
  let main = parse(primary);
  for (let step = 0; step < 20 && contrastWithDarkSurface(toHex(main)) < 4.5; step++) main = mix(main, WHITE, 0.15);
  return {
    "--color-brand-50": toHex(mix(parse(primary), DARK_SURFACE, 0.8)),
    "--color-brand-100": toHex(mix(parse(primary), DARK_SURFACE, 0.7)),
    "--color-brand-600": toHex(main),
    "--color-brand-700": toHex(mix(main, WHITE, 0.2)),
    "--color-brand-900": toHex(mix(main, WHITE, 0.75)),
  };
}

/** A stylesheet giving the brand shades for light and dark mode; null for the default colour,
 * which app/globals.css already carries. Values are validated hex colours, safe to inline. */
export function brandStylesheet(primary: string, defaultPrimary: string): string | null {
  if (primary.toLowerCase() === defaultPrimary.toLowerCase()) return null;
  const block = (palette: BrandPalette) =>
    `:root{${Object.entries(palette)
      .map(([name, value]) => `${name}:${value}`)
      .join(";")}}`;
  return `${block(brandPalette(primary))}@media (prefers-color-scheme: dark){${block(brandPaletteDark(primary))}}`;
}
