// Client metadata as software registers it (RFC 7591 §2): parsed, checked against what a portal
// app may be, and refused with the RFC's own codes (§3.2.2). Unknown fields are ignored, as §2
// asks; a field sent as null counts as absent (RFC 7592 §2.2). Password and implicit grants are
// never registered: an admin enables them per app in the console.
import { z } from "zod";
import { redirectUriProblem } from "./redirect-uris.ts";

export type ClientMetadataErrorCode = "invalid_redirect_uri" | "invalid_client_metadata";

export class ClientMetadataError extends Error {
  override name = "ClientMetadataError";
  constructor(
    readonly code: ClientMetadataErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"] as const;
export const REGISTRABLE_GRANTS = ["authorization_code", "refresh_token", "client_credentials"] as const;
type AuthMethod = (typeof AUTH_METHODS)[number];
type RegistrableGrant = (typeof REGISTRABLE_GRANTS)[number];

/** Registered metadata kept in apps.clientMetadata (what has no column of its own). */
const DESCRIPTIVE_FIELDS = ["scope", "client_uri", "logo_uri", "tos_uri", "policy_uri", "contacts", "software_id", "software_version"] as const;

export interface ClientMetadata {
  client_name: string;
  redirect_uris: string[];
  token_endpoint_auth_method: AuthMethod;
  grant_types: RegistrableGrant[];
  response_types: Array<"code">;
  scope?: string;
  client_uri?: string;
  logo_uri?: string;
  tos_uri?: string;
  policy_uri?: string;
  contacts?: string[];
  software_id?: string;
  software_version?: string;
}

export const DEFAULT_CLIENT_NAME = "Registered client";

/** Pages the portal may link to and images it may show: https only, never a script or a private scheme. */
const HttpsUri = z
  .string()
  .max(2000, "must be at most 2000 characters")
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === "https:" && !!url.hostname && !url.username && !url.password;
    } catch {
      return false;
    }
  }, "must be an https:// URL");

const Text = (max: number) => z.string().trim().min(1, "must not be empty").max(max, `must be at most ${max} characters`);

const RegistrationBody = z.object({
  redirect_uris: z.array(z.string("must be strings")).max(10, "can hold at most 10 URIs").optional(),
  token_endpoint_auth_method: z.string().optional(),
  grant_types: z.array(z.string("must be strings")).max(10, "can hold at most 10 grant types").optional(),
  response_types: z.array(z.string("must be strings")).max(10, "can hold at most 10 response types").optional(),
  client_name: Text(80).optional(),
  scope: z.string().trim().max(1000, "must be at most 1000 characters").optional(),
  client_uri: HttpsUri.optional(),
  logo_uri: HttpsUri.optional(),
  tos_uri: HttpsUri.optional(),
  policy_uri: HttpsUri.optional(),
  contacts: z.array(Text(320)).max(10, "can hold at most 10 contacts").optional(),
  software_id: Text(200).optional(),
  software_version: Text(100).optional(),
});

const ADMIN_ONLY_GRANTS = new Set(["password", "implicit"]);

/** The metadata of a registration or update request body, or a ClientMetadataError. */
export function parseClientMetadata(body: unknown): ClientMetadata {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new ClientMetadataError("invalid_client_metadata", "The request body must be a JSON object.");
  const present = Object.fromEntries(Object.entries(body).filter(([, value]) => value !== null));
  const parsed = RegistrationBody.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? "body");
    const message = issue.code === "invalid_type" && issue.path.length === 1 ? `must be ${issue.expected === "array" ? "a list" : issue.expected}` : issue.message;
    throw new ClientMetadataError(field === "redirect_uris" ? "invalid_redirect_uri" : "invalid_client_metadata", `${field} ${message}.`);
  }
  const data = parsed.data;

  const authMethod = data.token_endpoint_auth_method ?? "client_secret_basic";
  if (!(AUTH_METHODS as readonly string[]).includes(authMethod)) {
    throw new ClientMetadataError("invalid_client_metadata", `token_endpoint_auth_method must be one of ${AUTH_METHODS.join(", ")}.`);
  }
  const grantTypes = [...new Set(data.grant_types ?? ["authorization_code"])];
  for (const grant of grantTypes) {
    if (ADMIN_ONLY_GRANTS.has(grant)) throw new ClientMetadataError("invalid_client_metadata", `The ${grant} grant cannot be registered; an admin enables it per app.`);
    if (!(REGISTRABLE_GRANTS as readonly string[]).includes(grant)) {
      throw new ClientMetadataError("invalid_client_metadata", `grant_types may hold only ${REGISTRABLE_GRANTS.join(", ")}.`);
    }
  }
  const usesCode = grantTypes.includes("authorization_code");
  const responseTypes = [...new Set(data.response_types ?? (usesCode ? ["code"] : []))];
  if (responseTypes.some((type) => type !== "code")) throw new ClientMetadataError("invalid_client_metadata", "response_types may hold only code.");
  // RFC 7591 §2.1: the code response type and the authorization_code grant go together.
  if (usesCode !== responseTypes.includes("code")) {
    throw new ClientMetadataError("invalid_client_metadata", "response_types code and grant_types authorization_code must be registered together.");
  }
  if (authMethod === "none" && grantTypes.includes("client_credentials")) {
    throw new ClientMetadataError("invalid_client_metadata", "A public client (token_endpoint_auth_method none) cannot use client_credentials.");
  }
  if (authMethod === "none" && !usesCode) throw new ClientMetadataError("invalid_client_metadata", "A public client must use the authorization_code grant.");

  const redirectUris = [...new Set(data.redirect_uris ?? [])];
  for (const uri of redirectUris) {
    const problem = redirectUriProblem(uri);
    if (problem) throw new ClientMetadataError("invalid_redirect_uri", problem);
  }
  if (usesCode && !redirectUris.length) throw new ClientMetadataError("invalid_redirect_uri", "redirect_uris is required for the authorization_code grant.");

  const metadata: ClientMetadata = {
    client_name: data.client_name ?? DEFAULT_CLIENT_NAME,
    redirect_uris: redirectUris,
    token_endpoint_auth_method: authMethod as AuthMethod,
    grant_types: grantTypes as RegistrableGrant[],
    response_types: responseTypes as Array<"code">,
  };
  for (const field of DESCRIPTIVE_FIELDS) {
    const value = data[field];
    if (value !== undefined && value !== "") Object.assign(metadata, { [field]: value });
  }
  return metadata;
}

/** The app type a registration makes: no client authentication means a public client. */
export const appTypeOf = (metadata: ClientMetadata): "confidential" | "public" => (metadata.token_endpoint_auth_method === "none" ? "public" : "confidential");

/** What goes into apps.clientMetadata: the registered fields that have no column. */
export function storedMetadata(metadata: ClientMetadata): Record<string, unknown> {
  const stored: Record<string, unknown> = { token_endpoint_auth_method: metadata.token_endpoint_auth_method, response_types: metadata.response_types };
  for (const field of DESCRIPTIVE_FIELDS) if (metadata[field] !== undefined) stored[field] = metadata[field];
  return stored;
}

const StoredMetadata = z.object({
  token_endpoint_auth_method: z.enum(AUTH_METHODS).optional(),
  response_types: z.array(z.literal("code")).optional(),
  scope: z.string().optional(),
  client_uri: z.string().optional(),
  logo_uri: z.string().optional(),
  tos_uri: z.string().optional(),
  policy_uri: z.string().optional(),
  contacts: z.array(z.string()).optional(),
  software_id: z.string().optional(),
  software_version: z.string().optional(),
});

/** apps.clientMetadata read back; malformed text reads as empty. */
export function readStoredMetadata(column: string): z.infer<typeof StoredMetadata> {
  try {
    const parsed = StoredMetadata.safeParse(JSON.parse(column));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}
