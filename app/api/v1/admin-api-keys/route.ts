import { apiRoute } from "@/lib/api/route";
import { createAdminApiKey, listAdminApiKeys } from "@/lib/portal/admin-api-keys";

export const GET = apiRoute(({ ctx, actor }) => listAdminApiKeys(ctx, actor).then((items) => ({ items, nextCursor: null })));
export const POST = apiRoute(({ ctx, actor, body }) => createAdminApiKey(ctx, actor, body), { status: 201 });
