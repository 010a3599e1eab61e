// SSWS API-token authentication for the management-style APIs (Users, Groups, client
// registration), as Okta does it: `Authorization: SSWS <token>`. Only the token's hash is kept.
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendOktaError } from "./okta-errors.ts";
import type { Org } from "./org.ts";

export function hashApiToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** True when the request carries the org's API token; otherwise answers 401 E0000011. */
export function requireApiToken(org: Org, req: IncomingMessage, res: ServerResponse): boolean {
  const match = /^SSWS\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  const given = match ? Buffer.from(hashApiToken(match[1]), "hex") : null;
  const expected = Buffer.from(org.apiTokenHash, "hex");
  if (given && given.length === expected.length && timingSafeEqual(given, expected)) return true;
  sendOktaError(res, "E0000011");
  return false;
}
