// First-start seed: the org id, the SSWS API token, an admin (in the admin group), a developer,
// a user with TOTP enrolled, and the OIDC clients Gatehouse needs. The plain values go to
// {dataDir}/seed.json once, for people and tests to read; the stores keep only hashes where they
// can. On every start the seeded clients' redirect URIs follow the current Gatehouse URL.
import { hashApiToken } from "./api-token.ts";
import type { ClientsStore, ClientMetadata } from "./clients-store.ts";
import type { Directory, UserProfile } from "./directory.ts";
import { devSecret, oktaId, randomBase62 } from "./ids.ts";
import { JsonFile } from "./persistence.ts";
import { newTotpSecret } from "./totp.ts";

export interface SeedUser {
  id: string;
  login: string;
  password: string;
}

export interface SeedClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
}

export interface Seed {
  orgId: string;
  apiToken: string;
  adminGroup: string;
  users: { admin: SeedUser; developer: SeedUser; mfa: SeedUser & { totpSecret: string; factorId: string } };
  clients: { portal: SeedClient; delegation: SeedClient };
}

export interface OrgSettings {
  orgId: string;
  apiTokenHash: string;
}

export function readSeed(dataDir: string): Seed {
  const seed = new JsonFile<Seed | null>(dataDir, "seed.json").read(null);
  if (!seed) throw new Error(`okta-dev: no seed.json in ${dataDir}; start okta-dev once to create it`);
  return seed;
}

/** Meets the default password policy (upper, lower, digit, 8+), random otherwise. */
function seedPassword(): string {
  return `Okd-${randomBase62(14)}-7aQ`;
}

/** Where Gatehouse's two clients redirect and what they may do; kept in step on every start. */
function clientUris(gatehouseUrl: string) {
  const base = gatehouseUrl.replace(/\/+$/, "");
  return {
    portal: { redirect_uris: [`${base}/api/auth/callback/okta`], post_logout_redirect_uris: [`${base}/`], grant_types: ["authorization_code", "refresh_token", "password"] },
    // password: Gatehouse's password grant in mode okta_token asks Okta for the user's tokens
    delegation: { redirect_uris: [`${base}/oauth/callback`], post_logout_redirect_uris: [`${base}/`], grant_types: ["authorization_code", "refresh_token", "password"] },
  };
}

async function createSeed(dataDir: string, directory: Directory, clients: ClientsStore, gatehouseUrl: string, adminGroup: string): Promise<Seed> {
  const everyone = directory.ensureGroup("Everyone", "All users in your organization");
  const admins = directory.ensureGroup(adminGroup, "Gatehouse portal administrators");

  const person = async (profile: UserProfile, totpSecret?: string) => {
    const password = seedPassword();
    const user = await directory.createUser(profile, password, true, totpSecret);
    directory.addMember(everyone, user);
    return { user, password };
  };
  const admin = await person({ firstName: "Ada", lastName: "Admin", email: "admin@okta-dev.local", login: "admin@okta-dev.local" });
  directory.addMember(admins, admin.user);
  const developer = await person({ firstName: "Dev", lastName: "Eloper", email: "developer@okta-dev.local", login: "developer@okta-dev.local" });
  const totpSecret = newTotpSecret();
  const mfa = await person({ firstName: "Mia", lastName: "Factor", email: "mfa@okta-dev.local", login: "mfa@okta-dev.local" }, totpSecret);

  const uris = clientUris(gatehouseUrl);
  const makeClient = (name: string, extra: Partial<ClientMetadata>): ClientMetadata => ({
    client_id: oktaId("app"),
    client_secret: devSecret("okd_cs_", 30),
    client_name: name,
    client_id_issued_at: Math.floor(Date.now() / 1000),
    client_secret_expires_at: 0,
    application_type: "web",
    response_types: ["code"],
    token_endpoint_auth_method: "client_secret_basic",
    require_auth_time: true,
    ...extra,
  });
  const portal = makeClient("Gatehouse portal", uris.portal);
  const delegation = makeClient("Gatehouse OAuth delegation", uris.delegation);
  clients.upsert(portal);
  clients.upsert(delegation);

  const asSeedUser = (p: { user: { id: string; profile: { login: string } }; password: string }): SeedUser => ({
    id: p.user.id,
    login: p.user.profile.login,
    password: p.password,
  });
  const asSeedClient = (c: ClientMetadata): SeedClient => ({
    clientId: c.client_id,
    clientSecret: c.client_secret!,
    redirectUris: c.redirect_uris ?? [],
    postLogoutRedirectUris: c.post_logout_redirect_uris ?? [],
  });
  const seed: Seed = {
    orgId: oktaId("org"),
    apiToken: devSecret("okd_ssws_", 30),
    adminGroup,
    users: {
      admin: asSeedUser(admin),
      developer: asSeedUser(developer),
      mfa: { ...asSeedUser(mfa), totpSecret, factorId: mfa.user.totp!.factorId },
    },
    clients: { portal: asSeedClient(portal), delegation: asSeedClient(delegation) },
  };
  new JsonFile<Seed>(dataDir, "seed.json").write(seed);
  new JsonFile<OrgSettings>(dataDir, "settings.json").write({ orgId: seed.orgId, apiTokenHash: hashApiToken(seed.apiToken) });
  return seed;
}

/** Creates the seed on first start (created: true), and keeps seeded clients pointing at Gatehouse. */
export async function ensureSeed(
  dataDir: string,
  directory: Directory,
  clients: ClientsStore,
  gatehouseUrl: string,
  adminGroup: string,
): Promise<{ seed: Seed; settings: OrgSettings; created: boolean }> {
  const settingsFile = new JsonFile<OrgSettings | null>(dataDir, "settings.json");
  const existing = settingsFile.read(null);
  const created = !existing;
  const seed = created ? await createSeed(dataDir, directory, clients, gatehouseUrl, adminGroup) : readSeed(dataDir);

  const uris = clientUris(gatehouseUrl);
  for (const name of ["portal", "delegation"] as const) {
    const client = clients.find(seed.clients[name].clientId);
    const wanted = uris[name];
    if (client && (JSON.stringify(client.redirect_uris) !== JSON.stringify(wanted.redirect_uris) || JSON.stringify(client.grant_types) !== JSON.stringify(wanted.grant_types))) {
      clients.upsert({ ...client, ...uris[name] });
    }
    seed.clients[name].redirectUris = uris[name].redirect_uris;
    seed.clients[name].postLogoutRedirectUris = uris[name].post_logout_redirect_uris;
  }
  const admins = directory.ensureGroup(adminGroup, "Gatehouse portal administrators");
  const admin = directory.findUser(seed.users.admin.id);
  if (admin) directory.addMember(admins, admin);
  return { seed: { ...seed, adminGroup }, settings: settingsFile.read(null)!, created };
}

export function describeSeed(seed: Seed, url: string, issuer: string): string {
  const { admin, developer, mfa } = seed.users;
  return [
    `okta-dev: first start — seeded a local org at ${url} (issuer ${issuer})`,
    `  admin      ${admin.login} / ${admin.password}   (group ${seed.adminGroup})`,
    `  developer  ${developer.login} / ${developer.password}`,
    `  mfa user   ${mfa.login} / ${mfa.password}   TOTP secret ${mfa.totpSecret}`,
    `  portal     client_id ${seed.clients.portal.clientId} secret ${seed.clients.portal.clientSecret}`,
    `  delegation client_id ${seed.clients.delegation.clientId} secret ${seed.clients.delegation.clientSecret}`,
    `  API token  SSWS ${seed.apiToken}`,
    `  (all of this is in seed.json in the data dir)`,
  ].join("\n");
}
