// The dev inbox's view of the mail catcher: where it keeps mail, if it runs in this
// configuration at all (no SMTP_URL and the embedded defaults; never in production unless
// GATEHOUSE_DEV_DEFAULTS=true asks for the embedded defaults there).
import type { Config } from "../config/index.ts";

export function devInboxDir(config: Pick<Config, "notifications">): string | null {
  return config.notifications.mail.mode === "catcher" ? config.notifications.mail.dir : null;
}

/** Text split into plain parts and http(s) URLs, for rendering the URLs as links. */
export function linkify(text: string): Array<{ text: string; href?: string }> {
  const parts: Array<{ text: string; href?: string }> = [];
  let last = 0;
  for (const match of text.matchAll(/https?:\/\/[^\s<>"')]+/g)) {
    if (match.index > last) parts.push({ text: text.slice(last, match.index) });
    const url = match[0].replace(/[.,;:!?]+$/, "");
    parts.push({ text: url, href: url });
    last = match.index + url.length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}
