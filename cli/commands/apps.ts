// gatehouse apps: every developer's apps; admin-only settings (password grant, implicit,
// consent, status), the client certificate (mutual TLS), renewing and restricting a credential,
// revoking all of an app's tokens, deleting.
import { readFileSync } from "node:fs";
import { parseChoice, parseInteger, parseOnOff } from "../args.ts";
import { UsageError } from "../errors.ts";
import { deleteCommand, listCommand, seg, showCommand, type Group } from "../command.ts";
import { columnsOf, details, sections, table } from "../output.ts";

export interface Credential {
  id: string;
  clientId: string;
  secretHint: string | null;
  status: string;
  expiresAt: string | null;
  createdAt: string;
  revokedAt: string | null;
  replacedById?: string | null;
  graceEndsAt?: string | null;
  allowedReferrers?: string[];
  allowedCidrs?: string[];
}

export interface Subscription {
  id: string;
  status: string;
  reason: string | null;
  product: { id: string; slug: string; name: string };
}

export interface App {
  id: string;
  name: string;
  type: string;
  status: string;
  ownerId: string;
  owner?: { email: string };
  teamId?: string | null;
  team?: { id: string; name: string } | null;
  grantTypes: string[];
  passwordGrantMode: string | null;
  implicitEnabled: boolean;
  skipConsent: boolean;
  requirePushedAuthorizationRequests: boolean;
  dpopBoundAccessTokens: boolean;
  tokenExchangeIssuers: string[];
  clientCertificate?: { thumbprint: string } | null;
  credentials?: Credential[];
  subscriptions?: Subscription[];
}

const columns = columnsOf<App>({
  id: "id",
  name: "name",
  owner: (a) => a.owner?.email ?? a.ownerId,
  team: (a) => a.team?.name,
  type: "type",
  status: "status",
  credentials: (a) => a.credentials?.filter((c) => c.status === "active").length,
  products: (a) => a.subscriptions?.map((s) => `${s.product.slug}:${s.status}`),
});

export const credentialColumns = columnsOf<Credential>({
  id: "id",
  "client id": "clientId",
  secret: "secretHint",
  status: "status",
  expires: "expiresAt",
  "grace ends": (c) => c.graceEndsAt ?? undefined,
  "replaced by": (c) => c.replacedById ?? undefined,
  referrers: (c) => c.allowedReferrers,
  cidrs: (c) => c.allowedCidrs,
  created: "createdAt",
});

/** A comma-separated list option; "none" clears it. */
const listOption = (value: string) =>
  value === "none"
    ? []
    : value
        .split(",")
        .map((v) => v.trim())
        .filter(Boolean);

const subscriptionColumns = columnsOf<Subscription>({ subscription: "id", product: (s) => s.product.slug, status: "status", reason: "reason" });

export const appText = (app: App) =>
  sections(
    [null, details(app.owner ? { ...app, owner: app.owner.email } : app)],
    ["credentials", table(app.credentials ?? [], credentialColumns)],
    ["subscriptions", table(app.subscriptions ?? [], subscriptionColumns)],
  );

export const apps: Group = {
  summary: "Apps (OAuth clients) of all developers",
  commands: {
    list: listCommand<App>("/apps", columns, { summary: "List apps", filters: { owner: { param: "ownerId", value: "DEVELOPER_ID" }, q: { value: "TEXT" } } }),
    get: showCommand("/apps", { summary: "Show an app with its credentials and subscriptions", text: appText }),
    settings: {
      summary: "Change admin-only settings of an app",
      args: ["<id>"],
      usage:
        "[--password-grant okta_authn|okta_token|off] [--implicit on|off] [--skip-consent on|off] [--require-par on|off] [--require-dpop on|off] [--token-exchange-issuers URL,URL|none] [--status active|suspended]",
      options: {
        "password-grant": { type: "string" },
        implicit: { type: "string" },
        "skip-consent": { type: "string" },
        "require-par": { type: "string" },
        "require-dpop": { type: "string" },
        "token-exchange-issuers": { type: "string" },
        status: { type: "string" },
      },
      async run({ client, args, opts }) {
        const body: Record<string, unknown> = {};
        const grant = opts.string("password-grant");
        if (grant !== undefined) body.passwordGrantMode = grant === "off" ? null : parseChoice("password-grant", grant, ["okta_authn", "okta_token", "off"]);
        if (opts.has("implicit")) body.implicitEnabled = parseOnOff("implicit", opts.string("implicit")!);
        if (opts.has("skip-consent")) body.skipConsent = parseOnOff("skip-consent", opts.string("skip-consent")!);
        if (opts.has("require-par")) body.requirePushedAuthorizationRequests = parseOnOff("require-par", opts.string("require-par")!);
        if (opts.has("require-dpop")) body.dpopBoundAccessTokens = parseOnOff("require-dpop", opts.string("require-dpop")!);
        const issuers = opts.string("token-exchange-issuers");
        if (issuers !== undefined) body.tokenExchangeIssuers = issuers === "none" ? [] : issuers.split(",").filter(Boolean);
        if (opts.has("status")) body.status = parseChoice("status", opts.string("status")!, ["active", "suspended"]);
        if (Object.keys(body).length === 0)
          throw new UsageError("nothing to change: give --password-grant, --implicit, --skip-consent, --require-par, --require-dpop, --token-exchange-issuers or --status");
        const app = await client.patch<App>(`/apps/${seg(args[0]!)}/settings`, body);
        return {
          data: app,
          text: `Updated app ${app.name} (${app.id}): password grant ${app.passwordGrantMode ?? "off"}, implicit ${app.implicitEnabled ? "on" : "off"}, skip consent ${app.skipConsent ? "on" : "off"}, PAR ${app.requirePushedAuthorizationRequests ? "required" : "optional"}, DPoP ${app.dpopBoundAccessTokens ? "required" : "optional"}, token exchange ${app.tokenExchangeIssuers.length ? app.tokenExchangeIssuers.join(" ") : "off"}, ${app.status}`,
        };
      },
    },
    "client-certificate": {
      summary: "Register (or remove) the app's client certificate for tls_client_auth and certificate-bound tokens",
      args: ["<id>"],
      usage: "--pem FILE | --thumbprint X5T_S256 | --remove",
      options: { pem: { type: "string" }, thumbprint: { type: "string" }, remove: { type: "boolean" } },
      async run({ client, args, opts }) {
        const given = ["pem", "thumbprint", "remove"].filter((o) => opts.has(o));
        if (given.length !== 1) throw new UsageError("give exactly one of --pem FILE, --thumbprint X5T_S256 or --remove");
        const path = `/apps/${seg(args[0]!)}/client-certificate`;
        let app: App;
        if (opts.has("remove")) app = await client.delete<App>(path);
        else if (opts.has("thumbprint")) app = await client.put<App>(path, { thumbprint: opts.string("thumbprint") });
        else {
          const file = opts.string("pem")!;
          let certificate: string;
          try {
            certificate = readFileSync(file, "utf8");
          } catch (error) {
            throw new UsageError(`--pem: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
          }
          app = await client.put<App>(path, { certificate });
        }
        return {
          data: app,
          text: app.clientCertificate
            ? `App ${app.name} (${app.id}): client certificate x5t#S256 ${app.clientCertificate.thumbprint}`
            : `App ${app.name} (${app.id}): no client certificate`,
        };
      },
    },
    "renew-credential": {
      summary: "Renew a credential: a new one now (its secret shown once), the old one revoked after the grace period",
      args: ["<appId>", "<credentialId>"],
      usage: "--grace-days N",
      options: { "grace-days": { type: "string" } },
      async run({ client, args, opts }) {
        const days = opts.string("grace-days");
        if (days === undefined) throw new UsageError("give --grace-days N (0 revokes the old credential at once)");
        const renewed = await client.post<{ credential: Credential & { clientSecret: string | null }; replaced: Credential }>(
          `/apps/${seg(args[0]!)}/credentials/${seg(args[1]!)}/renew`,
          { graceDays: parseInteger("grace-days", days) },
        );
        const { credential, replaced } = renewed;
        const lines = [`Created credential ${credential.id}`, `client_id      ${credential.clientId}`];
        if (credential.clientSecret) lines.push(`client_secret  ${credential.clientSecret}`);
        lines.push(
          replaced.status === "revoked"
            ? `Revoked credential ${replaced.id} (${replaced.clientId})`
            : `Credential ${replaced.id} (${replaced.clientId}) works until ${replaced.graceEndsAt}`,
        );
        return { data: renewed, text: lines.join("\n"), note: credential.clientSecret ? "The client secret is shown only this once." : undefined };
      },
    },
    "restrict-credential": {
      summary: "Restrict a credential to web pages (referrer patterns) and source address ranges (CIDR)",
      args: ["<appId>", "<credentialId>"],
      usage: "[--referrers https://app.example.com/*,https://*.example.com/*|none] [--cidrs 203.0.113.0/24,2001:db8::/32|none]",
      options: { referrers: { type: "string" }, cidrs: { type: "string" } },
      async run({ client, args, opts }) {
        const body: Record<string, string[]> = {};
        const referrers = opts.string("referrers");
        const cidrs = opts.string("cidrs");
        if (referrers !== undefined) body.allowedReferrers = listOption(referrers);
        if (cidrs !== undefined) body.allowedCidrs = listOption(cidrs);
        if (Object.keys(body).length === 0) throw new UsageError("nothing to change: give --referrers or --cidrs (none lifts a restriction)");
        const credential = await client.patch<Credential>(`/apps/${seg(args[0]!)}/credentials/${seg(args[1]!)}`, body);
        const shown = (list: string[] | undefined) => (list?.length ? list.join(" ") : "any");
        return {
          data: credential,
          text: `Credential ${credential.id} (${credential.clientId}): referrers ${shown(credential.allowedReferrers)}, addresses ${shown(credential.allowedCidrs)}`,
        };
      },
    },
    "revoke-tokens": {
      summary: "Revoke every token issued to an app",
      args: ["<id>"],
      async run({ client, args }) {
        const result = await client.post<{ revoked: number }>(`/apps/${seg(args[0]!)}/revoke-tokens`);
        return { data: result, text: `Revoked ${result.revoked} token(s) of app ${args[0]}` };
      },
    },
    move: {
      summary: "Move an app to a team, or back to you, keeping its credentials",
      args: ["<id>"],
      usage: "--team TEAM_ID | --me",
      options: { team: { type: "string" }, me: { type: "boolean" } },
      async run({ client, args, opts }) {
        if (opts.has("team") === opts.flag("me")) throw new UsageError("give exactly one of --team TEAM_ID or --me");
        const app = await client.post<App>(`/apps/${seg(args[0]!)}/move`, { teamId: opts.flag("me") ? null : opts.string("team") });
        return { data: app, text: app.team ? `App ${app.name} (${app.id}) now belongs to team ${app.team.name} (${app.team.id})` : `App ${app.name} (${app.id}) is now yours` };
      },
    },
    delete: deleteCommand("/apps", { summary: "Delete an app and revoke everything it holds", done: (id) => `Deleted app ${id}` }),
  },
};
