import { apiRoute } from "@/lib/api/route";
import { listMySessions, signOutEverywhere } from "@/lib/portal/sessions";

export const GET = apiRoute(({ ctx, actor }) => listMySessions(ctx, actor));

/** Sign out everywhere: every portal session of the caller ends, this one included. */
export const DELETE = apiRoute(({ ctx, actor }) => signOutEverywhere(ctx, actor));
