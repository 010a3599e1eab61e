import { apiRoute } from "@/lib/api/route";
import { getConfig } from "@/lib/config";
import { inviteMember, listInvitations } from "@/lib/portal/team-invitations";

export const GET = apiRoute<{ id: string }>(({ ctx, actor, params }) => listInvitations(ctx, actor, params.id));
export const POST = apiRoute<{ id: string }>(({ ctx, actor, params, body }) => inviteMember(ctx, actor, params.id, body, getConfig().publicUrl), { status: 201 });
