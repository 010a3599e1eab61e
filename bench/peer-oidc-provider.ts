// The benchmark's peer: oidc-provider (the certified OpenID provider) configured for client
// credentials with its in-memory adapter and opaque tokens — the same work as Gatehouse's
// token endpoint minus persistence. Prints its URL on stdout. Loopback only.
import { createServer } from "node:http";
import Provider from "oidc-provider";

const provider = new Provider("http://127.0.0.1", {
  clients: [{ client_id: "peer", client_secret: "peer-secret", grant_types: ["client_credentials"], redirect_uris: [], response_types: [] }],
  features: { clientCredentials: { enabled: true }, introspection: { enabled: true }, devInteractions: { enabled: false } },
  scopes: ["api"],
});
const server = createServer(provider.callback());
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as { port: number };
  process.stdout.write(`http://127.0.0.1:${port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
