import { apiRoute } from "@/lib/api/route";
import { listMyAuthorizations } from "@/lib/portal/authorized-apps";

/** The apps the caller (as an end user) let act for them. */
export const GET = apiRoute(({ ctx, actor }) => listMyAuthorizations(ctx, actor));
