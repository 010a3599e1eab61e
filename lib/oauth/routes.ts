// The authorization server's machine-lane endpoints. Issue #5 implements them; until then
// they answer 501 in RFC 6749's error shape so clients fail clearly.
import { sendJson } from "../http/responses.ts";
import type { MachineRoute } from "../http/types.ts";

const notImplemented: MachineRoute["handler"] = (_req, res) =>
  sendJson(res, 501, { error: "server_error", error_description: "The authorization server is not enabled in this version." });

export const oauthRoutes: Record<string, MachineRoute> = {
  "/oauth/token": { methods: ["POST"], handler: notImplemented },
  "/oauth/introspect": { methods: ["POST"], handler: notImplemented },
  "/oauth/revoke": { methods: ["POST"], handler: notImplemented },
  "/.well-known/oauth-authorization-server": { methods: ["GET"], handler: notImplemented },
};
