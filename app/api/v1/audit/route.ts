import { apiRoute } from "@/lib/api/route";
import { listAudit } from "@/lib/portal/audit";

export const GET = apiRoute(({ ctx, actor, query }) => listAudit(ctx, actor, query));
