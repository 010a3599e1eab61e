// The OpenAPI 3.1 document of the management API, served at /api/v1/openapi.json. Request
// bodies come from the same zod schemas lib/portal validates with; a test checks that the
// document and the route files list the same operations.
import { z } from "zod";
import { AdminAppSettings, CreateAppInput, MoveAppInput, UpdateAppInput } from "../portal/apps.ts";
import { RoleInput, TeamName } from "../portal/teams.ts";
import { InviteInput } from "../portal/team-invitations.ts";
import { ClientCertificateInput } from "../portal/client-certificates.ts";
import { ProductInput } from "../portal/products.ts";
import { ProxyInput } from "../portal/proxies.ts";
import { SecurityRuleInput } from "../portal/security-rules.ts";
import { BotRuleInput, RuleFromDetectionInput } from "../portal/bot-detection.ts";
import { SIGNATURES } from "../security/bot/signatures.ts";
import { StatusInput } from "../portal/developers.ts";
import { SignUpInput } from "../portal/signup.ts";
import { BrandingInput } from "../portal/branding.ts";
import { GuideInput } from "../portal/guides.ts";
import { LOGO_TYPES } from "../portal/logo-image.ts";
import { InitialAccessTokenInput } from "../portal/initial-access-tokens.ts";
import { CreateWebhookInput, UpdateWebhookInput } from "../portal/webhooks.ts";
import { MarkNotificationsInput } from "../portal/notifications.ts";
import { RenewInput, RestrictionsInput } from "../portal/credentials.ts";
import { CredentialSettingsInput } from "../portal/credential-settings.ts";

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: "input", unrepresentable: "any" });
const body = (s: z.ZodType) => ({ required: true, content: { "application/json": { schema: schema(s) } } });
const idParam = (name = "id") => ({ name, in: "path", required: true, schema: { type: "string" } });
const pageParams = [
  { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 100, default: 20 } },
  { name: "cursor", in: "query", schema: { type: "string" }, description: "`nextCursor` of the previous page" },
];
const ok = (description: string) => ({ description, content: { "application/json": { schema: { type: "object" } } } });
const page = (description: string) => ({
  description,
  content: { "application/json": { schema: { type: "object", properties: { items: { type: "array", items: { type: "object" } }, nextCursor: { type: ["string", "null"] } } } } },
});
const noContent = { description: "Done" };
const errors = {
  "400": { $ref: "#/components/responses/Problem" },
  "401": { $ref: "#/components/responses/Problem" },
  "403": { $ref: "#/components/responses/Problem" },
  "404": { $ref: "#/components/responses/Problem" },
};

const analyticsParams = [
  { name: "from", in: "query", required: true, schema: { type: "string", format: "date-time" } },
  { name: "to", in: "query", required: true, schema: { type: "string", format: "date-time" }, description: "Exclusive; at most 92 days after `from`" },
  { name: "proxyId", in: "query", schema: { type: "string" } },
  { name: "appId", in: "query", schema: { type: "string" } },
  { name: "view", in: "query", schema: { type: "string", enum: ["all", "mine"], default: "all" }, description: "Admins: `mine` shows only their own apps" },
];

/** A configuration file as the body: YAML as it is, or a directory's files as JSON. */
const configBody = {
  parameters: [
    { name: "prune", in: "query", schema: { type: "boolean", default: false }, description: "With a YAML body: also delete what the file does not name (of the kinds it holds)" },
    { name: "file", in: "query", schema: { type: "string" }, description: "With a YAML body: the file name issues name (default gatehouse.yaml)" },
  ],
  requestBody: {
    required: true,
    content: {
      "application/yaml": { schema: { type: "string" } },
      "application/json": {
        schema: {
          type: "object",
          required: ["files"],
          properties: {
            files: { type: "array", items: { type: "object", required: ["name", "text"], properties: { name: { type: "string" }, text: { type: "string" } } } },
            prune: { type: "boolean", default: false },
          },
        },
      },
    },
  },
};
const configProblem = {
  description: "The file is invalid (nothing was changed): `issues` lists each file, line, column, field and message",
  content: { "application/problem+json": { schema: { type: "object" } } },
};

type Operation = { summary: string; tags: string[]; parameters?: unknown[]; requestBody?: unknown; responses: Record<string, unknown> };
const op = (tag: string, summary: string, responses: Record<string, unknown>, extra: Partial<Operation> = {}): Operation => ({
  summary,
  tags: [tag],
  ...extra,
  responses: { ...responses, ...errors },
});

/** Query parameters by name, with their JSON schemas. */
const query = (params: Record<string, object>) => Object.entries(params).map(([name, schema]) => ({ name, in: "query", schema }));
/** A paged list, narrowed by `filters` (query parameters). */
const list = (tag: string, summary: string, view: string, filters: Record<string, object> = {}) =>
  op(tag, summary, { "200": page(view) }, { parameters: [...pageParams, ...query(filters)] });
/** `POST` of something new, answered 201 with it. */
const create = (tag: string, summary: string, view: string, input: z.ZodType, responses: Record<string, unknown> = {}) =>
  op(tag, summary, { "201": ok(view), ...responses }, { requestBody: body(input) });
/** `GET` of the item `…/{id}` names, narrowed by `filters` (query parameters). */
const read = (tag: string, summary: string, view: string, filters: Record<string, object> = {}) =>
  op(tag, summary, { "200": ok(view) }, { parameters: [idParam(), ...query(filters)] });
/** A change to the item `…/{id}` names. */
const change = (tag: string, summary: string, responses: Record<string, unknown>, input: z.ZodType) =>
  op(tag, summary, responses, { parameters: [idParam()], requestBody: body(input) });

/** `…/{id}` of something admins change and delete (`readTag`: who else may read it). */
const managedItem = (view: string, input: z.ZodType, summaries: { get: string; patch: string; delete: string }, readTag = "admin") => ({
  get: read(readTag, summaries.get, view),
  patch: change("admin", summaries.patch, { "200": ok(view) }, input),
  delete: op("admin", summaries.delete, { "204": noContent }, { parameters: [idParam()] }),
});

export function openApiDocument(serverUrl: string) {
  return {
    openapi: "3.1.0",
    info: {
      title: "Gatehouse management API",
      version: "1.0.0",
      description: "Everything the portal and admin console do, by API. Lists are paginated with `limit` and `cursor`.",
    },
    servers: [{ url: `${serverUrl}/api/v1` }],
    security: [{ session: [] }, { adminApiKey: [] }],
    paths: {
      "/signup": {
        post: {
          summary: "Create an account in Okta (same-origin browsers only)",
          tags: ["developers"],
          security: [],
          requestBody: body(SignUpInput),
          responses: {
            "201": ok("Created (also when the email already has an account: the answer does not say which)"),
            "429": { $ref: "#/components/responses/Problem" },
            "503": { $ref: "#/components/responses/Problem" },
            ...errors,
          },
        },
      },
      "/me": { get: op("developers", "The signed-in developer", { "200": ok("Profile") }) },
      "/me/sessions": {
        get: op("developers", "The signed-in developer's live portal sessions", { "200": ok("Sessions") }),
        delete: op("developers", "Sign out everywhere: end all of the developer's portal sessions, this one included", { "200": ok("Count") }),
      },
      "/me/authorizations": {
        get: op("developers", "Apps the caller, as an end user, let act for them: name, publisher, scopes in words, granted and last used", { "200": ok("Authorized apps") }),
      },
      "/me/authorizations/{appId}": {
        delete: op(
          "developers",
          "Take one app's access away: the caller's tokens of that app are revoked and the consent forgotten",
          { "200": ok("Count") },
          { parameters: [idParam("appId")] },
        ),
      },
      "/apps": {
        get: list("apps", "Own apps and the apps of the caller's teams (admins: all apps)", "Apps", { q: { type: "string" }, ownerId: { type: "string" } }),
        post: create(
          "apps",
          "Create an app (optionally for a team the caller owns or administers); the answer holds its first client secret, shown once",
          "App and credential",
          CreateAppInput,
        ),
      },
      "/apps/{id}": {
        get: read("apps", "One app", "App"),
        patch: change("apps", "Change name, description, redirect URIs or products", { "200": ok("App") }, UpdateAppInput),
        delete: op("apps", "Delete an app and revoke everything it holds", { "204": noContent }, { parameters: [idParam()] }),
      },
      "/apps/{id}/move": {
        post: change(
          "apps",
          "Move an app to a team (`teamId`) or back to the caller (`null`), keeping its credentials and tokens; needs manage on the app and owner or admin in the target team",
          { "200": ok("App") },
          MoveAppInput,
        ),
      },
      "/teams": {
        get: op("teams", "The caller's teams with their role in each", { "200": ok("Teams") }),
        post: create("teams", "Create a team; the caller becomes its owner", "Team", TeamName),
      },
      "/teams/{id}": {
        get: read("teams", "One team with its members and apps (members and admins; anyone else: 404)", "Team"),
        patch: change("teams", "Rename the team (owners)", { "200": ok("Team") }, TeamName),
        delete: op(
          "teams",
          "Delete the team (owners; refused with 409 while it owns apps)",
          { "204": noContent, "409": { $ref: "#/components/responses/Problem" } },
          { parameters: [idParam()] },
        ),
      },
      "/teams/{id}/members": { get: read("teams", "Members and their roles", "Members") },
      "/teams/{id}/members/{developerId}": {
        patch: op(
          "teams",
          "Change a member's role (owners and admins; only owners grant or take the owner role; the last owner stays)",
          { "200": ok("Member"), "409": { $ref: "#/components/responses/Problem" } },
          { parameters: [idParam(), idParam("developerId")], requestBody: body(RoleInput) },
        ),
        delete: op(
          "teams",
          "Remove a member (owners and admins); they lose the team's apps with their next request",
          { "204": noContent, "409": { $ref: "#/components/responses/Problem" } },
          { parameters: [idParam(), idParam("developerId")] },
        ),
      },
      "/teams/{id}/leave": {
        post: op("teams", "Leave the team (the last owner cannot)", { "204": noContent, "409": { $ref: "#/components/responses/Problem" } }, { parameters: [idParam()] }),
      },
      "/teams/{id}/invitations": {
        get: read("teams", "Pending invitations (owners and admins)", "Invitations"),
        post: op(
          "teams",
          "Invite an address with a role; the email with the single-use link (valid 7 days) is sent by the notification worker",
          { "201": ok("Invitation"), "409": { $ref: "#/components/responses/Problem" } },
          { parameters: [idParam()], requestBody: body(InviteInput) },
        ),
      },
      "/teams/{id}/invitations/{invitationId}": {
        delete: op("teams", "Revoke a pending invitation", { "200": ok("Invitation") }, { parameters: [idParam(), idParam("invitationId")] }),
      },
      "/teams/invitations/{token}/accept": {
        post: op(
          "teams",
          "Accept an invitation as the signed-in developer whose email it was sent to (once, before it expires)",
          { "200": ok("Team and role"), "409": { $ref: "#/components/responses/Problem" } },
          { parameters: [idParam("token")] },
        ),
      },
      "/apps/{id}/credentials": { post: op("apps", "Add a credential (rotation); the secret is shown once", { "201": ok("Credential") }, { parameters: [idParam()] }) },
      "/apps/{id}/credentials/{credentialId}": {
        patch: op(
          "apps",
          "Restrict a credential to web pages (allowedReferrers: https://app.example.com/*, https://*.example.com/*; http only for localhost) and source address ranges (allowedCidrs: IPv4 and IPv6 CIDR); an empty list lifts the restriction. Enforced at the token endpoint (401 invalid_client) and the gateway (403)",
          { "200": ok("Credential") },
          { parameters: [idParam(), idParam("credentialId")], requestBody: body(RestrictionsInput) },
        ),
        delete: op("apps", "Revoke a credential and its tokens", { "200": ok("Credential") }, { parameters: [idParam(), idParam("credentialId")] }),
      },
      "/apps/{id}/credentials/{credentialId}/renew": {
        post: op(
          "apps",
          "Renew a credential: a new one with the same restrictions (its secret shown once), while the old one keeps working for graceDays (0: revoked at once; at most the admin's maxRenewalGraceDays) and is then revoked with its tokens",
          { "201": ok("The new credential and the replaced one"), "409": { $ref: "#/components/responses/Problem" } },
          { parameters: [idParam(), idParam("credentialId")], requestBody: body(RenewInput) },
        ),
      },
      "/apps/{id}/client-certificate": {
        put: change(
          "apps",
          "Register the app's client certificate (PEM, or its x5t#S256 thumbprint) for tls_client_auth and certificate-bound tokens (RFC 8705); replaces the previous one and revokes the tokens bound to it",
          { "200": ok("App") },
          ClientCertificateInput,
        ),
        delete: op("apps", "Remove the app's client certificate and revoke the tokens bound to it", { "200": ok("App") }, { parameters: [idParam()] }),
      },
      "/analytics/dashboard": {
        get: op(
          "analytics",
          "Dashboard aggregates for [from, to): traffic, latency percentiles, errors, top lists, policy blocks, security metrics, insecure backends (admins: everything; developers: their own apps)",
          { "200": ok("Dashboard") },
          { parameters: analyticsParams },
        ),
      },
      "/analytics/export.csv": {
        get: op(
          "analytics",
          "The same aggregates as CSV (section,key,metric,value)",
          { "200": { description: "CSV", content: { "text/csv": { schema: { type: "string" } } } } },
          { parameters: analyticsParams },
        ),
      },
      "/apps/{id}/settings": {
        patch: change("admin", "Admin-only app settings: password grant, implicit, consent, PAR, DPoP, token exchange issuers, status", { "200": ok("App") }, AdminAppSettings),
      },
      "/apps/{id}/usage": {
        get: read("apps", "Calls, errors and latency per hour of an app (owner or admin)", "Hourly buckets and totals", {
          hours: { type: "integer", minimum: 1, maximum: 720, default: 24 },
        }),
      },
      "/apps/{id}/revoke-tokens": { post: op("apps", "Revoke every token of an app", { "200": ok("Count") }, { parameters: [idParam()] }) },
      "/products": {
        get: list("products", "API products (developers: public ones)", "Products"),
        post: create("admin", "Create a product", "Product", ProductInput),
      },
      "/products/{id}": managedItem("Product", ProductInput, { get: "One product, by id or slug", patch: "Change a product", delete: "Delete a product" }, "products"),
      "/products/{id}/changelog": {
        get: read("products", "A product's versions, newest first: status, deprecation and sunset dates, and which of the caller's own apps are pinned to each", "Versions"),
      },
      "/settings/credentials": {
        get: op("portal", "Credential rules: the longest grace period a renewal may give (maxRenewalGraceDays)", { "200": ok("Credential settings") }),
        put: op("admin", "Change the longest grace period a renewal may give", { "200": ok("Credential settings") }, { requestBody: body(CredentialSettingsInput) }),
      },
      "/branding": {
        get: { summary: "The portal's branding: organisation, tagline, colours, logo URL, terms of use", tags: ["portal"], security: [], responses: { "200": ok("Branding") } },
        put: op("admin", "Change the branding (the fields not given keep their values)", { "200": ok("Branding") }, { requestBody: body(BrandingInput.partial()) }),
      },
      "/branding/logo": {
        put: op(
          "admin",
          "Upload the logo: the image as the body, its type in Content-Type (PNG, JPEG, WebP or SVG, checked against the bytes; at most 256 KiB); served at /branding/logo",
          { "200": ok("Branding"), "413": { $ref: "#/components/responses/Problem" }, "415": { $ref: "#/components/responses/Problem" } },
          { requestBody: { required: true, content: Object.fromEntries(LOGO_TYPES.map((type) => [type, { schema: { type: "string", format: "binary" } }])) } },
        ),
        delete: op("admin", "Remove the logo", { "200": ok("Branding") }),
      },
      "/guides": {
        get: list("portal", "Guides (developers: published ones, not about private products)", "Guides", { productId: { type: "string" }, scope: { enum: ["portal", "all"] } }),
        post: create("admin", "Write a guide (Markdown; rendered without raw HTML)", "Guide", GuideInput, { "409": { $ref: "#/components/responses/Problem" } }),
      },
      "/guides/{id}": managedItem("Guide", GuideInput.partial(), { get: "One guide, by id or slug", patch: "Change a guide", delete: "Delete a guide" }, "portal"),
      "/proxies": {
        get: list("admin", "API proxies", "Proxies"),
        post: create("admin", "Create a proxy", "Proxy", ProxyInput),
      },
      "/proxies/{id}": managedItem("Proxy", ProxyInput, { get: "One proxy", patch: "Change a proxy", delete: "Delete a proxy" }),
      "/proxies/{id}/cache": {
        delete: op(
          "admin",
          "Purge the proxy's cached answers (response-cache) on every instance: all of them, or those whose path after the base path starts with pathPrefix",
          { "204": noContent, "503": { $ref: "#/components/responses/Problem" } },
          { parameters: [idParam(), ...query({ pathPrefix: { type: "string", description: "e.g. /users/ (canonical path)" } })] },
        ),
      },
      "/proxies/{id}/targets/health": {
        get: read("admin", "How each gateway sees the proxy's upstream targets: health, circuit state, calls in flight, failures (empty for a plain targetUrl)", "Target health"),
      },
      "/security-rules": {
        get: list("admin", "Virtual patches: request rules the gateway's regex-protection applies at run time", "Security rules", { kind: { enum: ["virtual_patch"] } }),
        post: create(
          "admin",
          "Add a virtual patch (RE2 pattern; one RE2 cannot compile is refused with 400); every instance applies it at once",
          "Security rule",
          SecurityRuleInput,
        ),
      },
      "/security-rules/{id}": managedItem("Security rule", SecurityRuleInput, {
        get: "One virtual patch",
        patch: "Change a virtual patch (enable, disable, pattern, targets, action)",
        delete: "Delete a virtual patch",
      }),
      "/bot-detections": {
        get: list(
          "admin",
          "Bot detections: identity, signature, score, evidence and the action taken (one row per identity, signature and 10 minutes), newest first",
          "Bot detections",
          { signature: { enum: [...SIGNATURES] }, identity: { type: "string" } },
        ),
      },
      "/bot-detections/{id}/rule": {
        post: change(
          "admin",
          "One click: a rule for this detection's identity or signature (an existing rule for the same target is changed)",
          { "201": ok("Bot rule") },
          RuleFromDetectionInput,
        ),
      },
      "/bot-rules": {
        get: list("admin", "Bot rules: the action per signature, and per identity (action allow: the allow-list)", "Bot rules", { kind: { enum: ["signature", "identity"] } }),
        post: create("admin", "Add a bot rule; every instance applies it at once", "Bot rule", BotRuleInput, { "409": { $ref: "#/components/responses/Problem" } }),
      },
      "/bot-rules/{id}": managedItem("Bot rule", BotRuleInput, { get: "One bot rule", patch: "Change a bot rule (action, config, enabled)", delete: "Delete a bot rule" }),
      "/subscriptions": {
        get: list("admin", "Subscriptions by status (the approval queue: pending)", "Subscriptions", { status: { enum: ["pending", "approved", "rejected", "revoked"] } }),
      },
      "/subscriptions/{id}/decision": {
        post: change(
          "admin",
          "Approve, reject or revoke (reason required to reject or revoke)",
          { "200": ok("Subscription") },
          z.object({ decision: z.enum(["approve", "reject", "revoke"]), reason: z.string().optional() }),
        ),
      },
      "/developers": {
        get: list("admin", "Developers, searchable", "Developers", { q: { type: "string" }, status: { enum: ["active", "suspended"] } }),
      },
      "/developers/{id}": { get: read("developers", "One developer (self, or any for admins)", "Developer") },
      "/developers/{id}/status": {
        put: change("admin", "Suspend (revokes their tokens and ends their portal sessions) or reinstate", { "200": ok("Developer") }, StatusInput),
      },
      "/tokens/revoke": {
        post: op(
          "admin",
          "Revoke every token of an end user or of a developer's apps",
          { "200": ok("Count") },
          { requestBody: body(z.union([z.object({ userSub: z.string() }), z.object({ developerId: z.string() })])) },
        ),
      },
      "/audit": {
        get: list(
          "admin",
          "The audit log, filterable",
          "Audit entries",
          Object.fromEntries(["actorId", "action", "targetType", "targetId", "since", "until"].map((name) => [name, { type: "string" }])),
        ),
      },
      "/admin-api-keys": {
        get: op("admin", "Own admin API keys (hints only)", { "200": page("Keys") }),
        post: create("admin", "Create an admin API key for the CLI; shown once", "Key", z.object({ name: z.string() })),
      },
      "/admin-api-keys/{id}": { delete: op("admin", "Revoke an admin API key", { "204": noContent }, { parameters: [idParam()] }) },
      "/initial-access-tokens": {
        get: list("apps", "Own initial access tokens for dynamic client registration (admins: everyone's)", "Initial access tokens", { ownerId: { type: "string" } }),
        post: create("apps", "Create an initial access token for POST /oauth/register (RFC 7591); the token is shown once", "Initial access token", InitialAccessTokenInput),
      },
      "/initial-access-tokens/{id}": {
        delete: op("apps", "Revoke an initial access token (apps it registered stay)", { "204": noContent }, { parameters: [idParam()] }),
      },
      "/notifications": {
        get: list("notifications", "The signed-in developer's notifications, newest first, with the unread count", "Notifications", {
          unread: { type: "string", enum: ["true", "false"] },
        }),
        post: op("notifications", "Mark notifications read: { ids } or { all: true }", { "200": ok("Marked and still unread") }, { requestBody: body(MarkNotificationsInput) }),
      },
      "/webhooks": {
        get: op(
          "notifications",
          "Own webhook endpoints, or a team's (`teamId`, owners and admins)",
          { "200": ok("Webhook endpoints") },
          { parameters: query({ teamId: { type: "string" } }) },
        ),
        post: create("notifications", "Create a webhook endpoint (its signing secret `whsec_…` is in the answer)", "Webhook endpoint", CreateWebhookInput),
      },
      "/webhooks/{id}": {
        get: read("notifications", "A webhook endpoint, with its signing secret", "Webhook endpoint"),
        patch: change("notifications", "Change its URL, event types or active flag", { "200": ok("Webhook endpoint") }, UpdateWebhookInput),
        delete: op("notifications", "Delete a webhook endpoint", { "200": ok("Deleted") }, { parameters: [idParam()] }),
      },
      "/webhooks/{id}/deliveries": {
        get: op(
          "notifications",
          "The endpoint's delivery log: status, attempts, response status, last error",
          { "200": page("Deliveries") },
          { parameters: [idParam(), ...pageParams] },
        ),
      },
      "/webhooks/{id}/deliveries/{deliveryId}/replay": {
        post: op(
          "notifications",
          "Send again: a given-up delivery is reset (same webhook-id), a sent one is sent as a new delivery (new webhook-id)",
          { "202": ok("Replay") },
          { parameters: [idParam(), idParam("deliveryId")] },
        ),
      },
      "/webhooks/{id}/test": {
        post: op("notifications", "Send a test event (type webhook.test) to this endpoint", { "202": ok("Test delivery") }, { parameters: [idParam()] }),
      },
      "/config": {
        get: op(
          "config",
          "Export the configuration (products, proxies, virtual patches, bot rules, branding, guides) as YAML; no secrets, no ids",
          {
            "200": {
              description: "`Accept: application/yaml`: the YAML file; otherwise `{ files: [{ name, text }] }` (one file per kind with `layout=directory`)",
              content: { "application/yaml": { schema: { type: "string" } }, "application/json": { schema: { type: "object" } } },
            },
          },
          { parameters: [{ name: "layout", in: "query", schema: { type: "string", enum: ["file", "directory"], default: "file" } }] },
        ),
        put: op(
          "config",
          "Apply a configuration file in one transaction (all or nothing); `prune` deletes what it does not name",
          { "200": ok("What changed: applied, summary, changes"), "422": configProblem },
          configBody,
        ),
      },
      "/config/diff": {
        post: op(
          "config",
          "What applying the file would change, field by field; changes nothing",
          { "200": ok("What would change: summary, changes"), "422": configProblem },
          configBody,
        ),
      },
      "/config.schema.json": {
        get: { summary: "The JSON Schema (2020-12) of the configuration file, for editors", tags: ["meta"], security: [], responses: { "200": ok("JSON Schema") } },
      },
      "/openapi.json": { get: { summary: "This document", tags: ["meta"], security: [], responses: { "200": ok("OpenAPI 3.1") } } },
    },
    components: {
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: "next-auth.session-token", description: "The portal session; changes need a same-origin Origin header" },
        adminApiKey: { type: "http", scheme: "bearer", description: "An admin API key (gth_ak_…)" },
      },
      responses: {
        Problem: {
          description: "RFC 9457 problem details",
          content: {
            "application/problem+json": {
              schema: {
                type: "object",
                properties: { type: { type: "string" }, title: { type: "string" }, status: { type: "integer" }, code: { type: "string" }, fields: { type: "object" } },
              },
            },
          },
        },
      },
    },
  };
}
