import { apiRoute } from "@/lib/api/route";
import { revokeTokensFor } from "@/lib/portal/token-revocation";

/** Revokes every token of an end user (`userSub`) or of a developer's apps (`developerId`). */
export const POST = apiRoute(({ ctx, actor, body }) => revokeTokensFor(ctx, actor, body));
