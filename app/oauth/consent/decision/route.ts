import { consentDecisionEndpoint } from "@/lib/oauth/authorize";

/** The consent form's answer (same-origin POST with the request's CSRF token) → 303. */
export const POST = (request: Request) => consentDecisionEndpoint(request);
