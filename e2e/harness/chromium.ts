// Debian's Chromium for Playwright (never a downloaded browser: downloads fail here and in CI).
import { existsSync } from "node:fs";

const CANDIDATES = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];

export function findChromium(): string | null {
  return CANDIDATES.find((path): path is string => !!path && existsSync(path)) ?? null;
}

export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
