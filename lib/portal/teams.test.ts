import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashSecret } from "../security/secrets.ts";
import { findVisibleApp } from "./app-access.ts";
import { createApp, listApps, moveApp } from "./apps.ts";
import { PortalError } from "./errors.ts";
import { acceptInvitation, inviteMember } from "./team-invitations.ts";
import { createTeam, leaveTeam, removeMember, setMemberRole } from "./teams.ts";
import { createDeveloper, createTestPortal } from "./test-context.ts";

const PUBLIC_URL = "https://portal.example.com";
let ctx: Awaited<ReturnType<typeof createTestPortal>>;

beforeAll(async () => {
  ctx = await createTestPortal();
});
afterAll(() => ctx.close());

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => "ok",
    (e: unknown) => (e instanceof PortalError ? e.code : String(e)),
  );

async function invited(teamId: string, inviter: Parameters<typeof inviteMember>[1], email: string, role: string): Promise<string> {
  await inviteMember(ctx, inviter, teamId, { email, role }, PUBLIC_URL);
  const event = await ctx.db.outboxEvent.findFirstOrThrow({ where: { email: email.toLowerCase() }, orderBy: { createdAt: "desc" } });
  return (JSON.parse(event.payload) as { acceptUrl: string }).acceptUrl.split("/").pop()!;
}

describe("teams", () => {
  it("writes the invitation and its email event together, keeping only the token's hash", async () => {
    const owner = await createDeveloper(ctx, "t-owner@example.com");
    const team = await createTeam(ctx, owner, { name: "Lab" });
    const token = await invited(team.id, owner, "New.Member@Example.com", "admin");
    expect(token).toMatch(/^gth_inv_/);
    const row = await ctx.db.teamInvitation.findFirstOrThrow({ where: { teamId: team.id } });
    expect(row).toMatchObject({ email: "new.member@example.com", role: "admin", tokenHash: hashSecret(token) });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeGreaterThan(6.9 * 86_400_000);
    const event = await ctx.db.outboxEvent.findFirstOrThrow({ where: { email: "new.member@example.com" } });
    expect(event.type).toBe("team.invitation");
    expect(JSON.parse(event.payload)).toEqual({ teamId: team.id, teamName: "Lab", inviterName: "t-owner", role: "admin", acceptUrl: `${PUBLIC_URL}/teams/invitations/${token}` });

    const member = await createDeveloper(ctx, "NEW.member@example.com");
    expect(await acceptInvitation(ctx, member, token)).toEqual({ teamId: team.id, role: "admin" });
    expect(await code(acceptInvitation(ctx, member, token))).toBe("conflict");
  });

  it("reaches team apps by role, moves them keeping credentials, and forgets a removed member at once", async () => {
    const owner = await createDeveloper(ctx, "m-owner@example.com");
    const viewer = await createDeveloper(ctx, "m-viewer@example.com");
    const stranger = await createDeveloper(ctx, "m-stranger@example.com");
    const team = await createTeam(ctx, owner, { name: "Ops" });
    await acceptInvitation(ctx, viewer, await invited(team.id, owner, "m-viewer@example.com", "viewer"));
    const { app, credential } = await createApp(ctx, owner, { name: "personal" });
    expect(await code(findVisibleApp(ctx, viewer, app.id, "read"))).toBe("not_found");

    const moved = await moveApp(ctx, owner, app.id, { teamId: team.id });
    expect(moved.credentials?.map((c) => c.clientId)).toEqual([credential.clientId]);
    expect(await code(findVisibleApp(ctx, viewer, app.id, "read"))).toBe("ok");
    expect(await code(findVisibleApp(ctx, viewer, app.id, "manage"))).toBe("forbidden");
    expect(await code(findVisibleApp(ctx, stranger, app.id, "read"))).toBe("not_found");
    expect((await listApps(ctx, viewer, {})).items.map((a) => a.id)).toEqual([app.id]);
    expect(await code(moveApp(ctx, stranger, app.id, { teamId: null }))).toBe("not_found");
    expect(await code(createApp(ctx, viewer, { name: "not allowed", teamId: team.id }))).toBe("forbidden");

    await removeMember(ctx, owner, team.id, viewer.developerId);
    expect(await code(findVisibleApp(ctx, viewer, app.id, "read"))).toBe("not_found");
    expect((await listApps(ctx, viewer, {})).items).toEqual([]);
  });

  it("keeps one owner and the owner role in owners' hands", async () => {
    const owner = await createDeveloper(ctx, "r-owner@example.com");
    const admin = await createDeveloper(ctx, "r-admin@example.com");
    const team = await createTeam(ctx, owner, { name: "Roles" });
    await acceptInvitation(ctx, admin, await invited(team.id, owner, "r-admin@example.com", "admin"));
    expect(await code(inviteMember(ctx, admin, team.id, { email: "x@example.com", role: "owner" }, PUBLIC_URL))).toBe("forbidden");
    expect(await code(setMemberRole(ctx, admin, team.id, owner.developerId, { role: "viewer" }))).toBe("forbidden");
    expect(await code(setMemberRole(ctx, owner, team.id, owner.developerId, { role: "admin" }))).toBe("conflict");
    expect(await code(leaveTeam(ctx, owner, team.id))).toBe("conflict");
    await setMemberRole(ctx, owner, team.id, admin.developerId, { role: "owner" });
    await leaveTeam(ctx, owner, team.id);
    expect(await ctx.db.teamMember.findMany({ where: { teamId: team.id }, select: { developerId: true, role: true } })).toEqual([
      { developerId: admin.developerId, role: "owner" },
    ]);
  });
});
