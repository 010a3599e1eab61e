import { apiRoute } from "@/lib/api/route";
import { removeMember, setMemberRole } from "@/lib/portal/teams";

type P = { id: string; developerId: string };
export const PATCH = apiRoute<P>(({ ctx, actor, params, body }) => setMemberRole(ctx, actor, params.id, params.developerId, body));
export const DELETE = apiRoute<P>(({ ctx, actor, params }) => removeMember(ctx, actor, params.id, params.developerId));
