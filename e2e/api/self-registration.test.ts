// Self-registration proves nobody owns a mailbox: over real HTTP on each configured back-end, an
// account made through the sign-up endpoint with an ADMIN_EMAILS address is no admin, and one
// made with the address of a developer profile waiting for its first sign-in gets an account of
// its own. Sign-up puts the Okta user in the self-registered group, which sign-in reads from the
// groups claim; an Okta admin who takes the user out of that group vouches for the email.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../lib/db/client.ts";
import { configuredBackends } from "../harness/backends.ts";
import { startGatehouse, type RunningGatehouse } from "../harness/gatehouse.ts";
import { apiCaller, oktaManagement, readOktaSeed, type Caller } from "../harness/portal-setup.ts";
import { signIn } from "../harness/sign-in.ts";
import { databaseOf } from "../harness/system.ts";

const BOOTSTRAP_ADMIN = "chief@example.com";
const PASSWORD = "Correct-Horse-42";
const SELF_REGISTERED = "gatehouse-self-registered";

describe.each(configuredBackends())("self-registration on $name", (backend) => {
  let gatehouse: RunningGatehouse;
  let cleanup: () => Promise<void>;
  let db: Database;
  let call: ReturnType<typeof apiCaller>;
  let seed: ReturnType<typeof readOktaSeed>;
  let oktaUrl: string;
  let address = 0;

  const okta = (method: string, path: string) => oktaManagement(oktaUrl, seed.apiToken)(method, path);

  /** The public sign-up form's request, from an address of its own. */
  async function signUp(email: string) {
    const res = await fetch(`${gatehouse.url}/api/v1/signup`, {
      method: "POST",
      headers: { origin: gatehouse.url, "content-type": "application/json", "x-forwarded-for": `198.18.7.${++address}` },
      body: JSON.stringify({ firstName: "Self", lastName: "Registered", email, password: PASSWORD, acceptTerms: true }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
  }

  const session = async (login: string): Promise<Caller> => ({ cookie: (await signIn(gatehouse.url, login, PASSWORD)).cookie });

  async function oktaGroupsOf(login: string): Promise<Array<{ id: string; profile: { name: string } }>> {
    const res = await okta("GET", `/api/v1/users/${encodeURIComponent(login)}/groups`);
    expect(res.status).toBe(200);
    return (await res.json()) as Array<{ id: string; profile: { name: string } }>;
  }

  beforeAll(async () => {
    let env: Record<string, string>;
    ({ env, cleanup } = await backend.provision());
    gatehouse = await startGatehouse({ ...env, ADMIN_EMAILS: BOOTSTRAP_ADMIN, TRUSTED_PROXIES: "127.0.0.1" });
    db = databaseOf(gatehouse, env);
    call = apiCaller(gatehouse);
    seed = readOktaSeed(gatehouse);
    ({ oktaUrl } = await signIn(gatehouse.url, seed.users.developer.login, seed.users.developer.password));
  }, 120_000);
  afterAll(async () => {
    await db?.$disconnect();
    await gatehouse?.stop();
    await cleanup?.();
  });

  it("signing up with an ADMIN_EMAILS address makes no admin", async () => {
    await signUp(BOOTSTRAP_ADMIN);
    expect((await oktaGroupsOf(BOOTSTRAP_ADMIN)).map((g) => g.profile.name)).toContain(SELF_REGISTERED);

    const impostor = await session(BOOTSTRAP_ADMIN);
    const me = await call(impostor, "GET", "/me");
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ email: BOOTSTRAP_ADMIN, role: "developer" });
    expect((await call(impostor, "GET", "/developers")).status).toBe(403);
    expect((await call(impostor, "GET", "/subscriptions")).status).toBe(403);
    expect((await db.developer.findUniqueOrThrow({ where: { id: me.json.id } })).role).toBe("developer");
  });

  it("signing up with the email of a profile waiting for its first sign-in gets an account of its own", async () => {
    const waiting = await db.developer.create({ data: { email: "awaited@example.com", name: "Awaited" } });
    await signUp("awaited@example.com");
    const me = await call(await session("awaited@example.com"), "GET", "/me");
    expect(me.status).toBe(200);
    expect(me.json.id).not.toBe(waiting.id);
    expect((await db.developer.findUniqueOrThrow({ where: { id: waiting.id } })).oktaUserId).toBeNull();
  });

  it("an Okta admin vouches for a self-registered email by taking the user out of the group", async () => {
    await signUp("vouched@example.com");
    const waiting = await db.developer.create({ data: { email: "vouched@example.com", name: "Vouched" } });
    const group = (await oktaGroupsOf("vouched@example.com")).find((g) => g.profile.name === SELF_REGISTERED)!;
    const user = (await (await okta("GET", `/api/v1/users/${encodeURIComponent("vouched@example.com")}`)).json()) as { id: string };
    expect((await okta("DELETE", `/api/v1/groups/${group.id}/users/${user.id}`)).status).toBe(204);
    const me = await call(await session("vouched@example.com"), "GET", "/me");
    expect(me.json.id).toBe(waiting.id);
    expect((await db.developer.findUniqueOrThrow({ where: { id: waiting.id } })).oktaUserId).toBe(user.id);
  });
});
