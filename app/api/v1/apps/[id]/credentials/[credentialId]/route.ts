import { apiRoute } from "@/lib/api/route";
import { revokeCredential, updateCredentialRestrictions } from "@/lib/portal/credentials";

/** Sets the referrer patterns and source ranges the credential may be used from. */
export const PATCH = apiRoute<{ id: string; credentialId: string }>(({ ctx, actor, params, body }) =>
  updateCredentialRestrictions(ctx, actor, params.id, params.credentialId, body),
);
/** Revokes the credential (it stays listed as revoked) and every token issued to it. */
export const DELETE = apiRoute<{ id: string; credentialId: string }>(({ ctx, actor, params }) => revokeCredential(ctx, actor, params.id, params.credentialId));
