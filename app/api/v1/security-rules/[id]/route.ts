import { apiRoute } from "@/lib/api/route";
import { deleteSecurityRule, getSecurityRule, saveSecurityRule } from "@/lib/portal/security-rules";

export const GET = apiRoute<{ id: string }>(({ ctx, actor, params }) => getSecurityRule(ctx, actor, params.id));
export const PATCH = apiRoute<{ id: string }>(({ ctx, actor, params, body }) => saveSecurityRule(ctx, actor, params.id, body));
export const DELETE = apiRoute<{ id: string }>(({ ctx, actor, params }) => deleteSecurityRule(ctx, actor, params.id));
