import { apiRoute } from "@/lib/api/route";
import { listGuides, saveGuide } from "@/lib/portal/guides";

export const GET = apiRoute(({ ctx, actor, query }) => listGuides(ctx, actor, query));
export const POST = apiRoute(({ ctx, actor, body }) => saveGuide(ctx, actor, null, body), { status: 201, maxBodyBytes: 256 * 1024 });
