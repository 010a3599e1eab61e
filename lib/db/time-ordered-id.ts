// UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then randomness. Rows keyed by it are
// appended at the end of the primary-key index instead of landing on a random page, which
// halves the cost of a token insert on SQLite (bench/RESULTS.md, "Token endpoint").
import { randomBytes } from "../runtime/random-bytes.ts";

export function timeOrderedId(now = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70; // version 7
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // variant 10
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
