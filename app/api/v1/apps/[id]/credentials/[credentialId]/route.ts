import { apiRoute } from "@/lib/api/route";
import { revokeCredential } from "@/lib/portal/credentials";

/** Revokes the credential (it stays listed as revoked) and every token issued to it. */
export const DELETE = apiRoute<{ id: string; credentialId: string }>(({ ctx, actor, params }) => revokeCredential(ctx, actor, params.id, params.credentialId));
