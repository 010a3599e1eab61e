// The RFC 8693 §4.1 `act` claim: who acts on behalf of a token's subject. Kept as JSON in
// access_tokens.actor, carried in JWT access tokens and shown at introspection. A nested `act`
// names the earlier actors of a delegation chain, most recent first (§4.1).

export interface ActorClaim {
  sub: string;
  client_id?: string;
  iss?: string;
  act?: ActorClaim;
}

/** A delegation chain longer than this is cut (it is information, not authority: §4.1). */
const MAX_DEPTH = 5;
const MAX_TEXT = 256;

const text = (value: unknown): string | undefined => (typeof value === "string" && value.length > 0 && value.length <= MAX_TEXT ? value : undefined);

/** An `act` claim as it came in a token (an Okta token's, or one Gatehouse stored): the members
 * Gatehouse understands, or null when it names no actor. */
export function actorClaimFrom(value: unknown, depth = 0): ActorClaim | null {
  if (!value || typeof value !== "object" || Array.isArray(value)) return null;
  const claim = value as Record<string, unknown>;
  const sub = text(claim.sub);
  if (!sub) return null;
  const clientId = text(claim.client_id);
  const iss = text(claim.iss);
  const earlier = depth + 1 < MAX_DEPTH ? actorClaimFrom(claim.act, depth + 1) : null;
  return { sub, ...(clientId ? { client_id: clientId } : {}), ...(iss ? { iss } : {}), ...(earlier ? { act: earlier } : {}) };
}

/** The stored column (JSON or null) read back; anything unreadable counts as no actor. */
export function readActor(stored: string | null | undefined): ActorClaim | null {
  if (!stored) return null;
  try {
    return actorClaimFrom(JSON.parse(stored));
  } catch {
    return null;
  }
}
