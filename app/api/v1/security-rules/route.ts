import { apiRoute } from "@/lib/api/route";
import { listSecurityRules, saveSecurityRule } from "@/lib/portal/security-rules";

export const GET = apiRoute(({ ctx, actor, query }) => listSecurityRules(ctx, actor, query));
export const POST = apiRoute(({ ctx, actor, body }) => saveSecurityRule(ctx, actor, null, body), { status: 201 });
