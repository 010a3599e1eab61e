import { registrationRoute } from "@/lib/api/registration-endpoint";
import { registerClient } from "@/lib/portal/client-registration";

/** RFC 7591 §3.1: registration with an initial access token from the portal. */
export const POST = registrationRoute(({ ctx, token, body, request }) => registerClient(ctx, token, body, request), { status: 201, withBody: true });
