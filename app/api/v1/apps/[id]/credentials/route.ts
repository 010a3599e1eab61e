import { apiRoute } from "@/lib/api/route";
import { addCredential } from "@/lib/portal/credentials";

export const POST = apiRoute<{ id: string }>(({ ctx, actor, params }) => addCredential(ctx, actor, params.id), { status: 201 });
