// Stateless server nonces (RFC 9449 §8, §9): an HMAC over a time slot, with a key derived from
// the app's encryption key, so every instance accepts every instance's nonce without asking
// the store. A nonce is good during its slot and the next one (5–10 minutes).
import { createHmac, hkdfSync } from "node:crypto";
import { constantTimeEqual } from "../../security/secrets.ts";

export const NONCE_SLOT_MS = 5 * 60_000;

export type NonceCheck = "current" | "previous" | "invalid";

export class DpopNonces {
  private readonly key: Buffer;
  private cached: { slot: number; nonce: string } | null = null;

  constructor(
    encryptionKey: Buffer,
    private readonly slotMs = NONCE_SLOT_MS,
  ) {
    this.key = Buffer.from(hkdfSync("sha256", encryptionKey, Buffer.alloc(0), "gatehouse dpop nonce", 32));
  }

  /** The nonce of the slot `now` falls in. */
  current(now: number): string {
    const slot = Math.floor(now / this.slotMs);
    if (this.cached?.slot !== slot) this.cached = { slot, nonce: this.forSlot(slot) };
    return this.cached.nonce;
  }

  /** Whether `nonce` is this slot's (fresh), the previous slot's (still good: send a new one), or neither. */
  check(nonce: string, now: number): NonceCheck {
    const slot = Math.floor(now / this.slotMs);
    if (nonce === this.current(now)) return "current";
    const dot = nonce.indexOf(".");
    if (dot < 1 || dot > 12) return "invalid";
    const presented = Number.parseInt(nonce.slice(0, dot), 36);
    if (presented !== slot - 1) return "invalid";
    return constantTimeEqual(this.forSlot(presented), nonce) ? "previous" : "invalid";
  }

  private forSlot(slot: number): string {
    const mac = createHmac("sha256", this.key).update(`dpop-nonce:${slot}`).digest().subarray(0, 16).toString("base64url");
    return `${slot.toString(36)}.${mac}`;
  }
}
