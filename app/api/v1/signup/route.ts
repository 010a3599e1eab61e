import { publicApiRoute } from "@/lib/api/route";
import { getOktaSettings } from "@/lib/okta/settings";
import { signUp } from "@/lib/portal/signup";

export const POST = publicApiRoute(({ ctx, body, clientIp }) => signUp(ctx, getOktaSettings(), body, clientIp), { status: 201 });
