// Dynamic client registration (RFC 7591) and its management protocol (RFC 7592). A registered
// client is an ordinary portal app of the initial access token's owner: same subscriptions and
// approvals, same credentials, same audit log and revocation. The registration access token
// (shown once, stored hashed, rotated on every update) lets the software read, replace and
// delete that one registration; it works only while the owner's account is active.
import { readStringList, writeJson } from "../db/json-columns.ts";
import { generateSecret, hashSecret, secretMatches } from "../security/secrets.ts";
import { announceAppChange } from "../events/app-changes.ts";
import type { Actor, PortalContext } from "./context.ts";
import { PortalError } from "./errors.ts";
import { recordAudit } from "./audit.ts";
import { enforceFlowLimit } from "./rate-limits.ts";
import { requestSubscriptions } from "./subscriptions.ts";
import { issueCredential } from "./credentials.ts";
import { appInclude, findVisibleApp } from "./app-access.ts";
import { appView } from "./views.ts";
import { removeApp } from "./apps.ts";
import { claimRegistration, findRegistrationGrant } from "./initial-access-tokens.ts";
import { appTypeOf, ClientMetadataError, parseClientMetadata, readStoredMetadata, REGISTRABLE_GRANTS, storedMetadata, type ClientMetadata } from "./client-metadata.ts";

/** RFC 6750 §3.1 invalid_token: one answer for absent, unknown, revoked, expired, used-up and someone else's. */
export class InvalidRegistrationToken extends Error {
  override name = "InvalidRegistrationToken";
  constructor(readonly presented: boolean) {
    super(presented ? "The access token is not valid for this request." : "An access token is required.");
  }
}

/** Who made the request, for the audit log. */
export interface RegistrationRequest {
  ip?: string;
  requestId?: string;
  /** The issuer (PUBLIC_URL): registration_client_uri is built on it. */
  issuer: string;
}

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

interface RegisteredApp {
  id: string;
  name: string;
  type: string;
  redirectUris: string;
  grantTypes: string;
  clientMetadata: string;
}

/** RFC 7591 §3.2.1 + RFC 7592 §3: the client information response (secrets only when just issued). */
function clientInformation(
  app: RegisteredApp,
  credential: { clientId: string; createdAt: Date; expiresAt: Date | null },
  issued: { clientSecret?: string | null; registrationAccessToken?: string },
  issuer: string,
) {
  const stored = readStoredMetadata(app.clientMetadata);
  const grantTypes = readStringList(app.grantTypes).filter((g) => (REGISTRABLE_GRANTS as readonly string[]).includes(g));
  return {
    client_id: credential.clientId,
    ...(issued.clientSecret ? { client_secret: issued.clientSecret } : {}),
    client_id_issued_at: seconds(credential.createdAt),
    // 0: the secret does not expire (a product with a credential lifetime sets one)
    ...(app.type === "confidential" ? { client_secret_expires_at: credential.expiresAt ? seconds(credential.expiresAt) : 0 } : {}),
    ...(issued.registrationAccessToken ? { registration_access_token: issued.registrationAccessToken } : {}),
    registration_client_uri: `${issuer}/oauth/register/${encodeURIComponent(credential.clientId)}`,
    client_name: app.name,
    redirect_uris: readStringList(app.redirectUris),
    grant_types: grantTypes,
    response_types: stored.response_types ?? (grantTypes.includes("authorization_code") ? ["code"] : []),
    token_endpoint_auth_method: stored.token_endpoint_auth_method ?? (app.type === "public" ? "none" : "client_secret_basic"),
    ...Object.fromEntries(Object.entries(stored).filter(([key]) => key !== "response_types" && key !== "token_endpoint_auth_method")),
  };
}

export type ClientInformation = ReturnType<typeof clientInformation>;

/** A token or subscription problem found while saving reads as invalid metadata, not a server error. */
function asMetadataError(error: unknown): never {
  if (error instanceof PortalError && error.code === "invalid") throw new ClientMetadataError("invalid_client_metadata", error.message);
  throw error;
}

/** RFC 7591 §3.1: registers a client with an initial access token; the answer holds its secrets, once. */
export async function registerClient(ctx: PortalContext, presentedToken: string | null, body: unknown, request: RegistrationRequest): Promise<ClientInformation> {
  if (!presentedToken) throw new InvalidRegistrationToken(false);
  const now = ctx.now?.() ?? new Date();
  const grant = await findRegistrationGrant(ctx.db, presentedToken, now);
  if (!grant) throw new InvalidRegistrationToken(true);
  const metadata = parseClientMetadata(body);
  const actor: Actor = { type: "developer", developerId: grant.owner.id, role: grant.owner.role, ip: request.ip, requestId: request.requestId };
  await enforceFlowLimit(ctx, "createApp", grant.owner.id);
  const registrationAccessToken = generateSecret("registrationAccessToken");
  const type = appTypeOf(metadata);
  return ctx.db
    .$transaction(async (tx) => {
      // counted first, atomically: under concurrency only maxRegistrations transactions get past here
      if (!(await claimRegistration(tx, grant, now))) throw new InvalidRegistrationToken(true);
      const app = await tx.app.create({
        data: {
          ownerId: grant.owner.id,
          name: metadata.client_name,
          type,
          redirectUris: writeJson(metadata.redirect_uris),
          grantTypes: writeJson(metadata.grant_types),
          clientMetadata: writeJson(storedMetadata(metadata)),
          registrationAccessTokenHash: hashSecret(registrationAccessToken),
          initialAccessTokenId: grant.tokenId,
        },
      });
      await requestSubscriptions(tx, actor, app.id, grant.products, now).catch(asMetadataError);
      const credential = await issueCredential(tx, app.id, type, now);
      const full = await tx.app.findUniqueOrThrow({ where: { id: app.id }, include: appInclude });
      await recordAudit(tx, actor, {
        action: "app.registered",
        targetType: "app",
        targetId: app.id,
        after: { ...appView(full), initialAccessTokenId: grant.tokenId, softwareId: metadata.software_id ?? null },
      });
      return clientInformation(
        app,
        { clientId: credential.clientId, createdAt: new Date(credential.createdAt), expiresAt: credential.expiresAt ? new Date(credential.expiresAt) : null },
        { clientSecret: credential.clientSecret, registrationAccessToken },
        request.issuer,
      );
    })
    .catch(asMetadataError);
}

/** The app a registration access token manages, reached at the client_id it names; anything else is invalid_token. */
async function registeredClient(ctx: PortalContext, presentedToken: string | null, clientId: string) {
  if (!presentedToken) throw new InvalidRegistrationToken(false);
  const app = await ctx.db.app.findUnique({ where: { registrationAccessTokenHash: hashSecret(presentedToken) }, include: { ...appInclude, owner: true } });
  const credential = app?.credentials.find((c) => c.clientId === clientId && c.status === "active");
  if (!app || !credential || app.owner.status !== "active") throw new InvalidRegistrationToken(true);
  const actor: Actor = { type: "developer", developerId: app.ownerId, role: app.owner.role === "admin" ? "admin" : "developer" };
  return { app, credential, actor };
}

/** RFC 7592 §2.1. */
export async function readClient(ctx: PortalContext, presentedToken: string | null, clientId: string, request: RegistrationRequest): Promise<ClientInformation> {
  const { app, credential } = await registeredClient(ctx, presentedToken, clientId);
  return clientInformation(app, credential, {}, request.issuer);
}

/** RFC 7592 §2.2: replaces the registered metadata and rotates the registration access token. */
export async function updateClient(ctx: PortalContext, presentedToken: string | null, clientId: string, body: unknown, request: RegistrationRequest): Promise<ClientInformation> {
  const { app, credential, actor } = await registeredClient(ctx, presentedToken, clientId);
  const metadata: ClientMetadata = parseClientMetadata(body);
  const sent = body as Record<string, unknown>;
  if (sent.client_id !== clientId) throw new ClientMetadataError("invalid_client_metadata", "client_id must be the client identifier of this registration.");
  // The secret is never chosen by the client; one sent along must be the current one.
  if (sent.client_secret !== undefined && sent.client_secret !== null) {
    if (typeof sent.client_secret !== "string" || !credential.secretHash || !secretMatches(sent.client_secret, credential.secretHash)) {
      throw new ClientMetadataError("invalid_client_metadata", "client_secret does not match the current secret.");
    }
  }
  if (appTypeOf(metadata) !== app.type)
    throw new ClientMetadataError("invalid_client_metadata", "token_endpoint_auth_method cannot change between none and a client secret; register a new client.");
  // Grants an admin enabled (password, token exchange) are not the client's to remove.
  const adminGrants = readStringList(app.grantTypes).filter((g) => !(REGISTRABLE_GRANTS as readonly string[]).includes(g));
  const registrationAccessToken = generateSecret("registrationAccessToken");
  const audited = { ...actor, ip: request.ip, requestId: request.requestId };
  const updated = await ctx.db.$transaction(async (tx) => {
    const after = await tx.app.update({
      where: { id: app.id },
      data: {
        name: metadata.client_name,
        redirectUris: writeJson(metadata.redirect_uris),
        grantTypes: writeJson([...metadata.grant_types, ...adminGrants]),
        clientMetadata: writeJson(storedMetadata(metadata)),
        registrationAccessTokenHash: hashSecret(registrationAccessToken),
      },
      include: appInclude,
    });
    await recordAudit(tx, audited, { action: "app.updated", targetType: "app", targetId: app.id, before: appView(app), after: { ...appView(after), via: "registration" } });
    return after;
  });
  await announceAppChange(ctx.store, { appId: app.id });
  return clientInformation(updated, credential, { registrationAccessToken }, request.issuer);
}

/** RFC 7592 §2.3: the app goes the way the portal deletes apps, its tokens revoked first. */
export async function deleteClient(ctx: PortalContext, presentedToken: string | null, clientId: string, request: RegistrationRequest): Promise<void> {
  const { app, actor } = await registeredClient(ctx, presentedToken, clientId);
  // the registration access token authorises this, whoever (or whichever team) holds the app now
  await removeApp(ctx, { ...actor, ip: request.ip, requestId: request.requestId }, app);
}

/** How a visible app came to be, when software registered it: its software and the token's label (null otherwise). */
export async function registrationOrigin(
  ctx: PortalContext,
  actor: Actor,
  appId: string,
): Promise<{ softwareId: string | null; softwareVersion: string | null; tokenLabel: string | null } | null> {
  const app = await findVisibleApp(ctx, actor, appId, "read");
  if (!app.initialAccessTokenId) return null;
  const token = await ctx.db.initialAccessToken.findUnique({ where: { id: app.initialAccessTokenId }, select: { label: true } });
  const stored = readStoredMetadata(app.clientMetadata);
  return { softwareId: stored.software_id ?? null, softwareVersion: stored.software_version ?? null, tokenLabel: token?.label ?? null };
}
