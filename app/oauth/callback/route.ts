import { callbackEndpoint } from "@/lib/oauth/authorize";

/** Okta's redirect back after the user signed in. */
export const GET = (request: Request) => callbackEndpoint(request);
