// Teams over real HTTP on each configured back-end: roles (a viewer reads, an admin manages apps
// and members, only an owner deletes the team), object-level authorization across teams (a
// member of one team finds nothing of another), removal taking effect with the very next
// request, invitations (the token read from the outbox event the invitation wrote, single use,
// for the invited address only, not after expiry) and moving an app keeping its credentials.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../lib/db/client.ts";
import { configuredBackends } from "../harness/backends.ts";
import { startGatehouse, type RunningGatehouse } from "../harness/gatehouse.ts";
import { apiCaller, readOktaSeed, type Caller } from "../harness/portal-setup.ts";
import { signIn } from "../harness/sign-in.ts";
import { databaseOf } from "../harness/system.ts";

const PASSWORD = "Correct-Horse-42";

describe.each(configuredBackends())("teams on $name", (backend) => {
  let gatehouse: RunningGatehouse;
  let cleanup: () => Promise<void>;
  let db: Database;
  let call: ReturnType<typeof apiCaller>;
  let address = 0;
  // team A: owner (the seeded developer), alice (admin), victor (viewer); team B: bob (owner)
  let owner: Caller;
  let alice: Caller;
  let victor: Caller;
  let bob: Caller;
  let ids: Record<string, string>;
  let teamA: string;
  let teamB: string;
  let appA: string;
  let appB: string;

  async function signUp(email: string): Promise<Caller> {
    const res = await fetch(`${gatehouse.url}/api/v1/signup`, {
      method: "POST",
      headers: { origin: gatehouse.url, "content-type": "application/json", "x-forwarded-for": `198.18.9.${++address}` },
      body: JSON.stringify({ firstName: "Team", lastName: "Mate", email, password: PASSWORD, acceptTerms: true }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    return { cookie: (await signIn(gatehouse.url, email, PASSWORD)).cookie };
  }

  const me = async (who: Caller): Promise<string> => (await call(who, "GET", "/me")).json.id;

  /** The token of the newest invitation sent to `email`, from the outbox event's accept link. */
  async function invitationToken(email: string): Promise<string> {
    const event = await db.outboxEvent.findFirstOrThrow({ where: { type: "team.invitation", email: email.toLowerCase() }, orderBy: { createdAt: "desc" } });
    const acceptUrl = new URL((JSON.parse(event.payload) as { acceptUrl: string }).acceptUrl);
    expect(acceptUrl.origin).toBe(gatehouse.url);
    const token = decodeURIComponent(acceptUrl.pathname.replace("/teams/invitations/", ""));
    expect(token).toMatch(/^gth_inv_/);
    return token;
  }

  async function joinTeam(team: string, inviter: Caller, who: Caller, email: string, role: "owner" | "admin" | "viewer") {
    const invited = await call(inviter, "POST", `/teams/${team}/invitations`, { email, role });
    expect(invited.status, invited.text).toBe(201);
    const accepted = await call(who, "POST", `/teams/invitations/${await invitationToken(email)}/accept`);
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.json).toEqual({ teamId: team, role });
  }

  const clientCredentials = (clientId: string, clientSecret: string) =>
    fetch(`${gatehouse.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}` },
      body: new URLSearchParams({ grant_type: "client_credentials", scope: "echo:read" }),
    });

  beforeAll(async () => {
    let env: Record<string, string>;
    ({ env, cleanup } = await backend.provision());
    gatehouse = await startGatehouse({ ...env, TRUSTED_PROXIES: "127.0.0.1" });
    db = databaseOf(gatehouse, env);
    call = apiCaller(gatehouse);
    const seed = readOktaSeed(gatehouse);
    owner = { cookie: (await signIn(gatehouse.url, seed.users.developer.login, seed.users.developer.password)).cookie };
    alice = await signUp("alice.teams@example.com");
    victor = await signUp("victor.teams@example.com");
    bob = await signUp("bob.teams@example.com");
    ids = { owner: await me(owner), alice: await me(alice), victor: await me(victor), bob: await me(bob) };

    const a = await call(owner, "POST", "/teams", { name: "Team A" });
    expect(a.status, a.text).toBe(201);
    expect(a.json).toMatchObject({ name: "Team A", role: "owner", memberCount: 1 });
    teamA = a.json.id;
    teamB = (await call(bob, "POST", "/teams", { name: "Team B" })).json.id;
    await joinTeam(teamA, owner, alice, "Alice.Teams@example.com", "admin"); // the address compares case-insensitively
    await joinTeam(teamA, alice, victor, "victor.teams@example.com", "viewer");
    const created = await call(owner, "POST", "/apps", { name: "A's app", teamId: teamA, products: ["echo"] });
    expect(created.status, created.text).toBe(201);
    expect(created.json.app).toMatchObject({ teamId: teamA, team: { id: teamA, name: "Team A" } });
    appA = created.json.app.id;
    appB = (await call(bob, "POST", "/apps", { name: "B's app", teamId: teamB })).json.app.id;
  }, 180_000);
  afterAll(async () => {
    await db?.$disconnect();
    await gatehouse?.stop();
    await cleanup?.();
  });

  it("lets every member read the team's apps, owners and admins manage them, and viewers nothing more", async () => {
    for (const who of [owner, alice, victor]) {
      expect((await call(who, "GET", `/apps/${appA}`)).status).toBe(200);
      expect((await call(who, "GET", `/apps/${appA}/usage`)).status).toBe(200);
      expect((await call(who, "GET", "/apps")).json.items.map((i: { id: string }) => i.id)).toContain(appA);
      expect((await call(who, "GET", `/teams/${teamA}/members`)).status).toBe(200);
    }
    // viewer: read only — no edit, no credentials, no delete, no members
    expect((await call(victor, "PATCH", `/apps/${appA}`, { name: "renamed by viewer" })).status).toBe(403);
    expect((await call(victor, "POST", `/apps/${appA}/credentials`)).status).toBe(403);
    expect((await call(victor, "DELETE", `/apps/${appA}`)).status).toBe(403);
    expect((await call(victor, "POST", `/apps/${appA}/revoke-tokens`)).status).toBe(403);
    expect((await call(victor, "POST", "/apps", { name: "viewer's", teamId: teamA })).status).toBe(403);
    expect((await call(victor, "POST", `/teams/${teamA}/invitations`, { email: "x@example.com" })).status).toBe(403);
    expect((await call(victor, "GET", `/teams/${teamA}/invitations`)).status).toBe(403);
    expect((await call(victor, "PATCH", `/teams/${teamA}/members/${ids.alice}`, { role: "viewer" })).status).toBe(403);
    expect((await db.app.findUniqueOrThrow({ where: { id: appA } })).name).toBe("A's app");

    // admin: manages apps and members, but not the team itself nor its owners
    const renamed = await call(alice, "PATCH", `/apps/${appA}`, { name: "A's app (v2)" });
    expect(renamed.status, renamed.text).toBe(200);
    const added = await call(alice, "POST", `/apps/${appA}/credentials`);
    expect(added.status).toBe(201);
    expect((await call(alice, "DELETE", `/apps/${appA}/credentials/${added.json.id}`)).status).toBe(200);
    expect((await call(alice, "PATCH", `/teams/${teamA}`, { name: "Renamed by admin" })).status).toBe(403);
    expect((await call(alice, "DELETE", `/teams/${teamA}`)).status).toBe(403);
    expect((await call(alice, "PATCH", `/teams/${teamA}/members/${ids.owner}`, { role: "viewer" })).status).toBe(403);
    expect((await call(alice, "PATCH", `/teams/${teamA}/members/${ids.victor}`, { role: "owner" })).status).toBe(403);
    expect((await call(alice, "POST", `/teams/${teamA}/invitations`, { email: "boss@example.com", role: "owner" })).status).toBe(403);
    expect((await db.team.findUniqueOrThrow({ where: { id: teamA } })).name).toBe("Team A");

    // owner: renames; the last owner can neither be demoted nor leave
    expect((await call(owner, "PATCH", `/teams/${teamA}`, { name: "Team A" })).status).toBe(200);
    const demoteSelf = await call(owner, "PATCH", `/teams/${teamA}/members/${ids.owner}`, { role: "admin" });
    expect(demoteSelf.status).toBe(409);
    expect(demoteSelf.headers.get("content-type")).toContain("application/problem+json");
    expect((await call(owner, "POST", `/teams/${teamA}/leave`)).status).toBe(409);
    expect((await call(owner, "DELETE", `/teams/${teamA}/members/${ids.owner}`)).status).toBe(409);
    // and a team that owns apps is not deleted
    expect((await call(owner, "DELETE", `/teams/${teamA}`)).status).toBe(409);

    const audit = await db.auditEvent.findMany({ where: { targetType: "team", targetId: teamA }, select: { action: true } });
    expect(new Set(audit.map((a) => a.action))).toEqual(new Set(["team.created", "team.member_invited", "team.invitation_accepted", "team.renamed"]));
  });

  it("shows nothing of another team to a member of one (BOLA)", async () => {
    for (const who of [owner, alice, victor]) {
      expect((await call(who, "GET", `/apps/${appB}`)).status).toBe(404);
      expect((await call(who, "GET", `/apps/${appB}/usage`)).status).toBe(404);
      expect((await call(who, "PATCH", `/apps/${appB}`, { name: "mine now" })).status).toBe(404);
      expect((await call(who, "DELETE", `/apps/${appB}`)).status).toBe(404);
      expect((await call(who, "GET", `/teams/${teamB}`)).status).toBe(404);
      expect((await call(who, "GET", `/teams/${teamB}/members`)).status).toBe(404);
      expect((await call(who, "GET", `/teams/${teamB}/invitations`)).status).toBe(404);
      expect((await call(who, "POST", `/teams/${teamB}/invitations`, { email: "spy@example.com" })).status).toBe(404);
      expect((await call(who, "DELETE", `/teams/${teamB}/members/${ids.bob}`)).status).toBe(404);
      expect((await call(who, "POST", "/apps", { name: "planted", teamId: teamB })).status).toBe(404);
      expect((await call(who, "GET", "/apps")).json.items.map((i: { id: string }) => i.id)).not.toContain(appB);
      const teams = await call(who, "GET", "/teams");
      expect(teams.json.items.map((t: { id: string }) => t.id)).toEqual([teamA]);
    }
    // moving one's own app into a team one is not in, or someone else's app into one's team
    expect((await call(alice, "POST", `/apps/${appA}/move`, { teamId: teamB })).status).toBe(404);
    expect((await call(bob, "POST", `/apps/${appA}/move`, { teamId: teamB })).status).toBe(404);
    expect((await call(owner, "POST", `/apps/${appB}/move`, { teamId: teamA })).status).toBe(404);
    const bobsInvitation = await call(bob, "POST", `/teams/${teamB}/invitations`, { email: "someone@example.com" });
    expect((await call(owner, "DELETE", `/teams/${teamB}/invitations/${bobsInvitation.json.id}`)).status).toBe(404);
    expect((await call(owner, "DELETE", `/teams/${teamA}/invitations/${bobsInvitation.json.id}`)).status).toBe(404);
    expect((await db.app.findUniqueOrThrow({ where: { id: appB } })).teamId).toBe(teamB);
    expect((await db.teamInvitation.findUniqueOrThrow({ where: { id: bobsInvitation.json.id } })).revokedAt).toBeNull();
  });

  it("moves an app between a developer and a team keeping its credentials", async () => {
    const created = await call(alice, "POST", "/apps", { name: "Alice's own", products: ["echo"] });
    expect(created.status, created.text).toBe(201);
    const { clientId, clientSecret } = created.json.credential;
    const id = created.json.app.id;
    expect((await clientCredentials(clientId, clientSecret)).status).toBe(200);
    // not yet visible to the team
    expect((await call(victor, "GET", `/apps/${id}`)).status).toBe(404);

    const moved = await call(alice, "POST", `/apps/${id}/move`, { teamId: teamA });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.json).toMatchObject({ teamId: teamA, credentials: [{ clientId }] });
    expect((await call(victor, "GET", `/apps/${id}`)).status).toBe(200);
    expect((await call(victor, "POST", `/apps/${id}/move`, { teamId: null })).status).toBe(403);
    expect((await clientCredentials(clientId, clientSecret)).status).toBe(200);

    // the owner takes it back out as their own app
    const back = await call(owner, "POST", `/apps/${id}/move`, { teamId: null });
    expect(back.status, back.text).toBe(200);
    expect(back.json).toMatchObject({ teamId: null, ownerId: ids.owner });
    expect((await call(alice, "GET", `/apps/${id}`)).status).toBe(404);
    expect((await clientCredentials(clientId, clientSecret)).status).toBe(200);
    expect(await db.credential.count({ where: { appId: id, status: "active" } })).toBe(1);
    expect(await db.auditEvent.count({ where: { action: "app.moved", targetId: id } })).toBe(2);
  });

  it("refuses an invitation for another address, a reused one and an expired one", async () => {
    const carol = await signUp("carol.teams@example.com");
    const mallory = await signUp("mallory.teams@example.com");
    const invited = await call(owner, "POST", `/teams/${teamA}/invitations`, { email: "carol.teams@example.com", role: "viewer" });
    expect(invited.status).toBe(201);
    const token = await invitationToken("carol.teams@example.com");
    expect(await db.teamInvitation.count({ where: { tokenHash: token } })).toBe(0); // only the hash is stored
    const event = await db.outboxEvent.findFirstOrThrow({ where: { type: "team.invitation", email: "carol.teams@example.com" } });
    expect(JSON.parse(event.payload)).toMatchObject({ teamId: teamA, teamName: "Team A", role: "viewer" });

    const wrong = await call(mallory, "POST", `/teams/invitations/${token}/accept`);
    expect(wrong.status).toBe(403);
    expect(await db.teamMember.count({ where: { teamId: teamA, developerId: await me(mallory) } })).toBe(0);
    const page = await fetch(`${gatehouse.url}/teams/invitations/${token}`, { headers: { cookie: mallory.cookie! } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("carol.teams@example.com");

    expect((await call(carol, "POST", `/teams/invitations/${token}/accept`)).status).toBe(200);
    expect((await call(carol, "POST", `/teams/invitations/${token}/accept`)).status).toBe(409);
    expect((await call(carol, "GET", `/apps/${appA}`)).status).toBe(200);

    const dave = await signUp("dave.teams@example.com");
    await call(owner, "POST", `/teams/${teamA}/invitations`, { email: "dave.teams@example.com" });
    const late = await invitationToken("dave.teams@example.com");
    await db.teamInvitation.updateMany({ where: { email: "dave.teams@example.com" }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await call(dave, "POST", `/teams/invitations/${late}/accept`)).status).toBe(409);

    await call(owner, "POST", `/teams/${teamA}/invitations`, { email: "dave.teams@example.com" });
    const revokedToken = await invitationToken("dave.teams@example.com");
    const pending = await call(owner, "GET", `/teams/${teamA}/invitations`);
    const row = pending.json.items.find((i: { email: string }) => i.email === "dave.teams@example.com");
    expect((await call(alice, "DELETE", `/teams/${teamA}/invitations/${row.id}`)).status).toBe(200);
    expect((await call(dave, "POST", `/teams/invitations/${revokedToken}/accept`)).status).toBe(409);
    expect(await db.teamMember.count({ where: { teamId: teamA, developerId: await me(dave) } })).toBe(0);
    expect((await call(dave, "POST", "/teams/invitations/gth_inv_not-a-real-one/accept")).status).toBe(404);
  });

  it("takes a removed member's access away with their next request, page and API alike", async () => {
    const erin = await signUp("erin.teams@example.com");
    await joinTeam(teamA, owner, erin, "erin.teams@example.com", "admin");
    const erinId = await me(erin);
    expect((await call(erin, "GET", `/apps/${appA}`)).status).toBe(200);
    expect((await fetch(`${gatehouse.url}/apps/${appA}`, { headers: { cookie: erin.cookie! } })).status).toBe(200);

    expect((await call(alice, "DELETE", `/teams/${teamA}/members/${erinId}`)).status).toBe(204);
    expect((await call(erin, "GET", `/apps/${appA}`)).status).toBe(404);
    expect((await call(erin, "PATCH", `/apps/${appA}`, { name: "after removal" })).status).toBe(404);
    expect((await call(erin, "GET", `/teams/${teamA}`)).status).toBe(404);
    expect((await call(erin, "GET", "/apps")).json.items.map((i: { id: string }) => i.id)).not.toContain(appA);
    expect((await fetch(`${gatehouse.url}/apps/${appA}`, { headers: { cookie: erin.cookie! } })).status).toBe(404);
    expect(await db.auditEvent.count({ where: { action: "team.member_removed", targetId: teamA } })).toBe(1);
  });

  it("shows the team app's traffic on every member's dashboard and usage, and nobody else's", async () => {
    const created = await call(alice, "POST", "/apps", { name: "Metered", teamId: teamA, products: ["echo"] });
    const { clientId, clientSecret } = created.json.credential;
    const issued = await clientCredentials(clientId, clientSecret);
    const { access_token: token } = (await issued.json()) as { access_token: string };
    for (let i = 0; i < 3; i++) expect((await fetch(`${gatehouse.url}/gateway/echo/v1/team/${i}`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    const range = () => new URLSearchParams({ from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString(), appId: created.json.app.id });
    // events are written in batches
    const deadline = Date.now() + 20_000;
    let calls = 0;
    while (calls < 3 && Date.now() < deadline) {
      calls = (await call(victor, "GET", `/analytics/dashboard?${range()}`)).json?.totals?.calls ?? 0;
      if (calls < 3) await new Promise((r) => setTimeout(r, 250));
    }
    expect(calls).toBe(3);
    expect((await call(owner, "GET", `/analytics/dashboard?${range()}`)).json.totals.calls).toBe(3);
    expect((await call(bob, "GET", `/analytics/dashboard?${range()}`)).json.totals.calls).toBe(0);
    const usage = await call(victor, "GET", `/apps/${created.json.app.id}/usage`);
    expect(usage.status).toBe(200);
    expect((await call(bob, "GET", `/apps/${created.json.app.id}/usage`)).status).toBe(404);
  });

  it("works through the pages' native forms, same-origin only", async () => {
    const form = (who: Caller, path: string, fields: Record<string, string>, origin = gatehouse.url) =>
      fetch(`${gatehouse.url}${path}`, {
        method: "POST",
        redirect: "manual",
        headers: { origin, cookie: who.cookie!, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(fields),
      });
    const where = (res: Response) => new URL(res.headers.get("location")!, gatehouse.url);

    expect((await form(owner, "/teams/create", { name: "Forged" }, "https://evil.example")).status).toBe(403);
    expect(await db.team.count({ where: { name: "Forged" } })).toBe(0);
    const created = await form(owner, "/teams/create", { name: "Formed" });
    expect(created.status).toBe(303);
    const teamId = where(created).pathname.split("/").pop()!;
    expect((await db.team.findUniqueOrThrow({ where: { id: teamId } })).name).toBe("Formed");

    const invited = await form(owner, `/teams/${teamId}/invite`, { email: "victor.teams@example.com", role: "admin" });
    expect(where(invited).searchParams.get("status")).toContain("victor.teams@example.com");
    const token = await invitationToken("victor.teams@example.com");
    const accepted = await form(victor, `/teams/invitations/${token}/accept`, {});
    expect(where(accepted).pathname).toBe(`/teams/${teamId}`);
    const page = await (await fetch(`${gatehouse.url}/teams/${teamId}`, { headers: { cookie: victor.cookie! } })).text();
    expect(page).toContain("victor.teams@example.com");

    const demoted = await form(owner, `/teams/${teamId}/member-role`, { developerId: ids.victor!, role: "viewer" });
    expect(where(demoted).searchParams.get("status")).toBeTruthy();
    expect((await db.teamMember.findUniqueOrThrow({ where: { teamId_developerId: { teamId, developerId: ids.victor! } } })).role).toBe("viewer");
    // a refusal comes back to the page as a readable message
    const refused = await form(victor, `/teams/${teamId}/rename`, { name: "Viewer's" });
    expect(where(refused).searchParams.get("error")).toMatch(/role/);

    const own = (await call(owner, "POST", "/apps", { name: "Form-moved" })).json.app.id;
    const moved = await form(owner, `/apps/${own}/move`, { teamId });
    expect(where(moved).pathname).toBe(`/apps/${own}`);
    expect((await db.app.findUniqueOrThrow({ where: { id: own } })).teamId).toBe(teamId);
    const back = await form(owner, `/apps/${own}/move`, { teamId: "" });
    expect(where(back).searchParams.get("status")).toBeTruthy();
    expect((await db.app.findUniqueOrThrow({ where: { id: own } })).teamId).toBeNull();

    expect(where(await form(victor, `/teams/${teamId}/leave`, {})).pathname).toBe("/teams");
    expect(where(await form(owner, `/teams/${teamId}/delete`, {})).pathname).toBe("/teams");
    expect(await db.team.count({ where: { id: teamId } })).toBe(0);
  });

  it("lets only an owner delete a team, once it owns no apps", async () => {
    const t = (await call(owner, "POST", "/teams", { name: "Short-lived" })).json.id;
    await joinTeam(t, owner, alice, "alice.teams@example.com", "admin");
    const app = (await call(alice, "POST", "/apps", { name: "temporary", teamId: t })).json.app.id;
    expect((await call(alice, "DELETE", `/teams/${t}`)).status).toBe(403);
    expect((await call(owner, "DELETE", `/teams/${t}`)).status).toBe(409);
    expect((await call(alice, "DELETE", `/apps/${app}`)).status).toBe(204);
    expect((await call(owner, "DELETE", `/teams/${t}`)).status).toBe(204);
    expect(await db.team.count({ where: { id: t } })).toBe(0);
    expect(await db.auditEvent.count({ where: { action: "team.deleted", targetId: t } })).toBe(1);
  });
});
