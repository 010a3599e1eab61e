// assign-identity: what the backend learns about the caller. Always: the caller's credentials
// are removed (Authorization and its DPoP proof, RFC 9449; the API key header is removed by
// verify-api-key) and the app and developer ids are added. Per proxy (ProxyDefinition.idTokenMode,
// overridable here):
//   none   — nothing about the end user
//   claims — selected claims of the user's Okta id token as X-Gatehouse-User… headers
//   whole  — the id token itself in X-Gatehouse-Id-Token (the backend can verify it with Okta)
// Every chain ends with this policy; inbound X-Gatehouse-* headers never reach the upstream.
import { z } from "zod";
import { definePolicy, type PolicyContext } from "../policy.ts";
import { perObject } from "../../runtime/per-object.ts";

const CLAIM_HEADERS: Record<string, string> = {
  sub: "x-gatehouse-user",
  email: "x-gatehouse-user-email",
  name: "x-gatehouse-user-name",
  preferred_username: "x-gatehouse-user-username",
  groups: "x-gatehouse-user-groups",
};

export const DEFAULT_CLAIMS = ["sub", "email", "name", "preferred_username"];

/** Header values are Latin-1 without controls; anything else is percent-encoded (UTF-8). */
export function headerValue(value: unknown): string {
  const text = Array.isArray(value) ? value.map(String).join(",") : typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
  return /^[\x20-\x7e]*$/.test(text) ? text : encodeURIComponent(text);
}

export function claimHeader(claim: string): string {
  return CLAIM_HEADERS[claim] ?? `x-gatehouse-claim-${claim.toLowerCase().replace(/[^a-z0-9-]/g, "-")}`;
}

export const AssignIdentityConfig = z
  .object({
    mode: z.enum(["none", "claims", "whole"]).optional(),
    claims: z
      .array(z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/))
      .max(30)
      .default(DEFAULT_CLAIMS),
  })
  .strict();
export type AssignIdentityConfig = z.infer<typeof AssignIdentityConfig>;

export const assignIdentity = definePolicy<AssignIdentityConfig>({
  name: "assign-identity",
  priority: 450,
  configSchema: AssignIdentityConfig,
  implied: (stored) => stored ?? {},
  access(ctx, config) {
    const headers = ctx.upstreamHeaders;
    delete headers.authorization;
    delete headers.dpop;
    const identity = ctx.identity;
    if (!identity) return undefined;
    headers["x-gatehouse-app-id"] = identity.appId;
    headers["x-gatehouse-developer-id"] = identity.developerId;
    if (ctx.productId) headers["x-gatehouse-product-id"] = ctx.productId;
    headers["x-gatehouse-auth"] = identity.kind;
    // delegation (RFC 8693): the backend learns that someone acts for the user, and who
    if (identity.actorSub) headers["x-gatehouse-actor"] = headerValue(identity.actorSub);
    if (identity.scopes.size) headers["x-gatehouse-scopes"] = scopeList(identity.scopes);
    const mode = config.mode ?? ctx.proxy.idTokenMode;
    if (mode === "none" || !identity.userSub) return undefined;
    headers["x-gatehouse-user"] = headerValue(identity.userSub);
    if (!identity.idTokenRecordId) return undefined;
    return readIdToken(ctx, identity.idTokenRecordId).then((idToken) => {
      if (!idToken) return;
      if (mode === "whole") {
        headers["x-gatehouse-id-token"] = idToken.jwt;
        return;
      }
      for (const claim of config.claims) {
        if (claim in idToken.claims && idToken.claims[claim] !== null) headers[claimHeader(claim)] = headerValue(idToken.claims[claim]);
      }
    });
  },
});

/** A token's scopes as one header value, joined once per scope set (tokens are cached, so the set is shared by their calls). */
const scopeList = perObject((scopes: ReadonlySet<string>) => [...scopes].join(" "));

async function readIdToken(ctx: PolicyContext, recordId: string) {
  try {
    return await ctx.services.readIdToken(recordId);
  } catch (error) {
    ctx.log.error({ err: error }, "stored id token could not be read");
    return null;
  }
}
