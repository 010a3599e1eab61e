import { describe, expect, it } from "vitest";
import { leaveRefusal, managesMembers, managesTeam, roleAllows, roleChangeRefusal } from "./team-roles.ts";

describe("team roles", () => {
  it("lets every member read a team's apps and only owners and admins manage them", () => {
    expect(roleAllows("viewer", "read")).toBe(true);
    expect(roleAllows("viewer", "manage")).toBe(false);
    expect(roleAllows("admin", "manage")).toBe(true);
    expect(roleAllows("owner", "manage")).toBe(true);
  });

  it("lets owners and admins manage members, and only owners the team", () => {
    expect([managesMembers("owner"), managesMembers("admin"), managesMembers("viewer")]).toEqual([true, true, false]);
    expect([managesTeam("owner"), managesTeam("admin"), managesTeam("viewer")]).toEqual([true, false, false]);
  });

  it("keeps the owner role in owners' hands", () => {
    expect(roleChangeRefusal("viewer", "viewer", "admin", 1)).toBe("not_allowed");
    expect(roleChangeRefusal("admin", "viewer", "admin", 1)).toBeNull();
    expect(roleChangeRefusal("admin", null, "viewer", 1)).toBeNull();
    expect(roleChangeRefusal("admin", "viewer", "owner", 1)).toBe("owner_only");
    expect(roleChangeRefusal("admin", "owner", "viewer", 2)).toBe("owner_only");
    expect(roleChangeRefusal("admin", "owner", null, 2)).toBe("owner_only");
    expect(roleChangeRefusal("owner", "admin", "owner", 1)).toBeNull();
  });

  it("never leaves a team without an owner", () => {
    expect(roleChangeRefusal("owner", "owner", "admin", 1)).toBe("last_owner");
    expect(roleChangeRefusal("owner", "owner", null, 1)).toBe("last_owner");
    expect(roleChangeRefusal("owner", "owner", "admin", 2)).toBeNull();
    expect(leaveRefusal("owner", 1)).toBe("last_owner");
    expect(leaveRefusal("owner", 2)).toBeNull();
    expect(leaveRefusal("viewer", 1)).toBeNull();
  });
});
