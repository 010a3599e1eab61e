import { registrationRoute } from "@/lib/api/registration-endpoint";
import { deleteClient, readClient, updateClient } from "@/lib/portal/client-registration";

/** RFC 7592: the client configuration endpoint, with the registration access token. */
export const GET = registrationRoute<{ clientId: string }>(({ ctx, token, request }, { clientId }) => readClient(ctx, token, clientId, request));
export const PUT = registrationRoute<{ clientId: string }>(({ ctx, token, body, request }, { clientId }) => updateClient(ctx, token, clientId, body, request), { withBody: true });
export const DELETE = registrationRoute<{ clientId: string }>(({ ctx, token, request }, { clientId }) => deleteClient(ctx, token, clientId, request));
