import { apiRoute } from "@/lib/api/route";
import { getCredentialSettings, updateCredentialSettings } from "@/lib/portal/credential-settings";

export const GET = apiRoute(({ ctx }) => getCredentialSettings(ctx));
export const PUT = apiRoute(({ ctx, actor, body }) => updateCredentialSettings(ctx, actor, body));
