// The browser-lane OAuth endpoints as route handlers take them: each builds the environment,
// runs its flow, and turns anything unexpected into an error page (the detail only in the log).
import { authorize } from "./authorize-endpoint.ts";
import { oktaCallback } from "./callback-endpoint.ts";
import { consentView, decideConsent } from "./consent.ts";
import { authorizeEnvironment, type AuthorizeEnvironment } from "./environment.ts";
import { errorPage } from "./responses.ts";
import { BINDING_COOKIE } from "./transactions.ts";

export type { ConsentView } from "./consent.ts";
export { BINDING_COOKIE };

function guarded(run: (request: Request, env: AuthorizeEnvironment) => Promise<Response>) {
  return async (request: Request): Promise<Response> => {
    const env = authorizeEnvironment();
    try {
      return await run(request, env);
    } catch (error) {
      env.log.error({ err: error, reqId: request.headers.get("x-request-id") }, "authorization endpoint failed");
      return errorPage(500, "server_error", "An unexpected error occurred.");
    }
  };
}

export const authorizeEndpoint = guarded(authorize);
export const callbackEndpoint = guarded(oktaCallback);
export const consentDecisionEndpoint = guarded(decideConsent);

export const loadConsentView = (id: string | undefined, binding: string | undefined) => consentView(authorizeEnvironment(), id, binding);
