import { apiRoute } from "@/lib/api/route";
import { removeClientCertificate, setClientCertificate } from "@/lib/portal/client-certificates";

export const PUT = apiRoute<{ id: string }>(({ ctx, actor, params, body }) => setClientCertificate(ctx, actor, params.id, body));
export const DELETE = apiRoute<{ id: string }>(({ ctx, actor, params }) => removeClientCertificate(ctx, actor, params.id));
