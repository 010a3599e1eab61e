import { apiRoute } from "@/lib/api/route";
import { revokeAdminApiKey } from "@/lib/portal/admin-api-keys";

export const DELETE = apiRoute<{ id: string }>(({ ctx, actor, params }) => revokeAdminApiKey(ctx, actor, params.id));
