// RFC 8414 discovery: the metadata must name exactly the issuer it was fetched for.
import { ProtocolError } from "./errors.js";

export interface ServerMetadata {
  issuer: string;
  token_endpoint: string;
  authorization_endpoint?: string;
  introspection_endpoint?: string;
  revocation_endpoint?: string;
  userinfo_endpoint?: string;
  code_challenge_methods_supported?: string[];
  authorization_response_iss_parameter_supported?: boolean;
  grant_types_supported?: string[];
}

export async function discover(issuer: string, fetchImpl: typeof fetch = fetch): Promise<ServerMetadata> {
  const base = issuer.replace(/\/+$/, "");
  const res = await fetchImpl(`${base}/.well-known/oauth-authorization-server`, { headers: { accept: "application/json" } });
  if (!res.ok) throw new ProtocolError("invalid_response", `Discovery failed with HTTP ${res.status}.`);
  const metadata = (await res.json().catch(() => null)) as ServerMetadata | null;
  if (!metadata || typeof metadata.token_endpoint !== "string") throw new ProtocolError("invalid_response", "The metadata document has no token_endpoint.");
  if (metadata.issuer !== issuer) throw new ProtocolError("issuer_mismatch", `The metadata names issuer ${metadata.issuer}, not ${issuer}.`);
  return metadata;
}
