// The dev mail catcher's store: one JSON file per received message under DATA_DIR/mail, so the
// portal's thread (and any other process on the machine) reads what the catcher received.
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";

export interface CaughtMail {
  id: string;
  receivedAt: string;
  /** The SMTP envelope (what the server was told), as a receiver's mailbox would see it. */
  envelope: { from: string | null; to: string[] };
  messageId: string | null;
  from: string;
  to: string;
  subject: string;
  headers: Array<[string, string]>;
  text: string;
  html: string | null;
}

const ID = /^[0-9]{13}-[0-9a-f]{12}$/;

/** Ids sort by arrival: milliseconds, then randomness. */
export function newMailId(now = Date.now()): string {
  return `${String(now).padStart(13, "0")}-${randomBytes(6).toString("hex")}`;
}

export function saveMail(dir: string, mail: CaughtMail): void {
  mkdirSync(dir, { recursive: true });
  // written whole, then renamed: a reader never sees half a message
  const temporary = join(dir, `.${mail.id}.tmp`);
  writeFileSync(temporary, JSON.stringify(mail));
  renameSync(temporary, join(dir, `${mail.id}.json`));
}

/** Newest first. */
export function listMail(dir: string, limit = 200): CaughtMail[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(".json") && ID.test(n.slice(0, -5)));
  } catch {
    return [];
  }
  return names
    .sort()
    .reverse()
    .slice(0, limit)
    .map((n) => readMail(dir, n.slice(0, -5)))
    .filter((m): m is CaughtMail => m !== null);
}

export function readMail(dir: string, id: string): CaughtMail | null {
  if (!ID.test(id)) return null;
  try {
    return JSON.parse(readFileSync(join(dir, `${id}.json`), "utf8")) as CaughtMail;
  } catch {
    return null;
  }
}
