import { apiRoute } from "@/lib/api/route";
import { revokeMyAuthorization } from "@/lib/portal/authorized-apps";

/** Takes the app's access away: the caller's tokens of that app end and the consent is forgotten. */
export const DELETE = apiRoute<{ appId: string }>(({ ctx, actor, params }) => revokeMyAuthorization(ctx, actor, params.appId));
