// Delegation versus impersonation (RFC 8693 §1.1): with an actor token the issued token says
// who acts for the subject (`act`, §4.1); without one the client simply gets a token for the
// subject. A subject token that says who may act for it (`may_act`, §4.4) is honoured: the
// actor must be that party.
import { invalidGrant } from "../errors.ts";
import type { ActorClaim } from "../tokens/actor.ts";

/** The party an actor token proved, with the issuer that vouched for it. */
export interface ProvenActor {
  sub: string;
  clientId: string | null;
  issuer: string;
}

/**
 * §4.4: every member the subject token's may_act states (sub, client_id, iss) must match the
 * actor. A subject token with may_act and no actor is refused: it permits delegation to that
 * party only, never impersonation by whoever holds it.
 */
export function checkMayAct(mayAct: unknown, actor: ProvenActor | null): void {
  if (mayAct === undefined) return;
  if (!mayAct || typeof mayAct !== "object" || Array.isArray(mayAct)) throw invalidGrant("The subject token's may_act claim is malformed.");
  if (!actor) throw invalidGrant("The subject token may only be exchanged with an actor token of the party its may_act claim names.");
  const allowed = mayAct as Record<string, unknown>;
  const stated: Array<[unknown, string | null]> = [
    [allowed.sub, actor.sub],
    [allowed.client_id, actor.clientId],
    [allowed.iss, actor.issuer],
  ];
  const named = stated.filter(([expected]) => expected !== undefined);
  if (!named.length || named.some(([expected, actual]) => expected !== actual)) {
    throw invalidGrant("The actor is not the party the subject token's may_act claim allows.");
  }
}

/**
 * The issued token's `act`: the actor, with the subject token's own chain nested under it
 * (§4.1: the outermost act is the current actor). Without an actor the subject token's chain
 * is kept as it is, so that exchanging a delegated token never turns it into impersonation.
 */
export function actClaim(actor: ProvenActor | null, subjectAct: ActorClaim | null): ActorClaim | null {
  if (!actor) return subjectAct;
  return { sub: actor.sub, ...(actor.clientId ? { client_id: actor.clientId } : {}), ...(subjectAct ? { act: subjectAct } : {}) };
}
