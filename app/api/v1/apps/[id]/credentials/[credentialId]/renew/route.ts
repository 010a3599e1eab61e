import { apiRoute } from "@/lib/api/route";
import { renewCredential } from "@/lib/portal/credentials";

/** A new credential (its secret shown once); the old one works until its grace period ends. */
export const POST = apiRoute<{ id: string; credentialId: string }>(({ ctx, actor, params, body }) => renewCredential(ctx, actor, params.id, params.credentialId, body), {
  status: 201,
});
