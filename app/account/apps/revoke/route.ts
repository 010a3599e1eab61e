import { revokeAuthorizationFromForm } from "@/lib/auth/authorized-apps-form";

/** The "Remove access" form on /account/apps (a native POST; answered 303 back to the page). */
export const POST = (request: Request) => revokeAuthorizationFromForm(request);
