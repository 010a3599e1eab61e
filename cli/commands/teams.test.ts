import { describe, expect, it } from "vitest";
import { cli } from "../test-runner.ts";

describe("gatehouse teams", () => {
  it("lists teams, creates one and lists its members", async () => {
    const listed = await cli(["teams", "list"], () => ({ items: [{ id: "t1", name: "Core", role: "owner", memberCount: 2, appCount: 1 }] }));
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/Core\s+owner/);
    const created = await cli(["teams", "create", "Core"], () => ({ id: "t1", name: "Core" }));
    expect(created.calls[0]).toMatchObject({ method: "POST", body: { name: "Core" } });
    expect(created.calls[0]!.url.pathname).toBe("/api/v1/teams");
    const members = await cli(["teams", "members", "t1"], () => ({ items: [{ developerId: "d1", name: "Ann", email: "ann@example.com", role: "admin", joinedAt: "x" }] }));
    expect(members.calls[0]!.url.pathname).toBe("/api/v1/teams/t1/members");
    expect(members.stdout).toContain("ann@example.com");
  });

  it("invites with a role, changes roles and removes members", async () => {
    const invited = await cli(["teams", "invite", "t1", "bo@example.com", "--role", "admin"], () => ({ id: "i1", email: "bo@example.com", role: "admin", expiresAt: "later" }));
    expect(invited.calls[0]).toMatchObject({ method: "POST", body: { email: "bo@example.com", role: "admin" } });
    expect(invited.calls[0]!.url.pathname).toBe("/api/v1/teams/t1/invitations");
    expect((await cli(["teams", "invite", "t1", "bo@example.com", "--role", "boss"])).code).not.toBe(0);
    const set = await cli(["teams", "set-role", "t1", "d1", "viewer"], () => ({ email: "ann@example.com", role: "viewer" }));
    expect(set.calls[0]).toMatchObject({ method: "PATCH", body: { role: "viewer" } });
    expect(set.calls[0]!.url.pathname).toBe("/api/v1/teams/t1/members/d1");
    const removed = await cli(["teams", "remove-member", "t1", "d1"], () => undefined);
    expect(removed.code).toBe(0);
    expect(removed.calls[0]).toMatchObject({ method: "DELETE" });
  });

  it("moves an app to a team or back", async () => {
    const toTeam = await cli(["apps", "move", "a1", "--team", "t1"], () => ({ id: "a1", name: "A", team: { id: "t1", name: "Core" } }));
    expect(toTeam.calls[0]).toMatchObject({ method: "POST", body: { teamId: "t1" } });
    expect(toTeam.calls[0]!.url.pathname).toBe("/api/v1/apps/a1/move");
    expect(toTeam.stdout).toContain("team Core");
    const back = await cli(["apps", "move", "a1", "--me"], () => ({ id: "a1", name: "A", team: null }));
    expect(back.calls[0]!.body).toEqual({ teamId: null });
    expect((await cli(["apps", "move", "a1"])).code).not.toBe(0);
  });
});
