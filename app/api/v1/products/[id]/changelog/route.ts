import { apiRoute } from "@/lib/api/route";
import { productChangelog } from "@/lib/portal/changelog";

export const GET = apiRoute<{ id: string }>(async ({ ctx, actor, params }) => ({ items: await productChangelog(ctx, actor, params.id) }));
