import { apiRoute } from "@/lib/api/route";
import { deleteGuide, getGuide, saveGuide } from "@/lib/portal/guides";

export const GET = apiRoute<{ id: string }>(({ ctx, actor, params }) => getGuide(ctx, actor, params.id));
export const PATCH = apiRoute<{ id: string }>(({ ctx, actor, params, body }) => saveGuide(ctx, actor, params.id, body), { maxBodyBytes: 256 * 1024 });
export const DELETE = apiRoute<{ id: string }>(({ ctx, actor, params }) => deleteGuide(ctx, actor, params.id));
