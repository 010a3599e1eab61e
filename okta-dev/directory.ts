// Users and groups of the local org, persisted as users.json and groups.json, plus the
// credential check (with lock-out) that the login page, the Authentication API and the
// password grant all share.
import { JsonFile } from "./persistence.ts";
import { oktaId } from "./ids.ts";
import { dummyPasswordHash, hashPassword, verifyPassword } from "./passwords.ts";

export interface UserProfile {
  firstName: string;
  lastName: string;
  email: string;
  login: string;
  locale?: string;
  timeZone?: string;
}

export interface StoredUser {
  id: string;
  status: "ACTIVE" | "STAGED" | "LOCKED_OUT";
  created: string;
  activated: string | null;
  lastLogin: string | null;
  lastUpdated: string;
  passwordChanged: string | null;
  profile: UserProfile;
  passwordHash: string | null;
  totp: { factorId: string; secret: string } | null;
  failedAttempts: number;
  /** Whether the primary email is verified (id token and /userinfo `email_verified`). Users an
   * admin activates start verified; a changed email is unverified until its owner confirms it.
   * Absent in data written before this field existed: those users were all activated. */
  emailVerified?: boolean;
}

export interface StoredGroup {
  id: string;
  created: string;
  lastUpdated: string;
  profile: { name: string; description: string };
  members: string[];
}

export type AuthResult =
  | { outcome: "success"; user: StoredUser }
  | { outcome: "invalid" }
  | { outcome: "locked"; user: StoredUser };

/** Consecutive failures before an account locks, as in Okta's default password policy. */
export const MAX_FAILED_ATTEMPTS = 5;

export class Directory {
  private readonly usersFile: JsonFile<StoredUser[]>;
  private readonly groupsFile: JsonFile<StoredGroup[]>;
  private users: StoredUser[];
  private groups: StoredGroup[];

  constructor(dataDir: string) {
    this.usersFile = new JsonFile(dataDir, "users.json");
    this.groupsFile = new JsonFile(dataDir, "groups.json");
    this.users = this.usersFile.read([]);
    this.groups = this.groupsFile.read([]);
    void dummyPasswordHash(); // ready before the first unknown login, which would otherwise pay for it
  }

  findUser(idOrLogin: string): StoredUser | undefined {
    const needle = idOrLogin.toLowerCase();
    return this.users.find((u) => u.id === idOrLogin || u.profile.login.toLowerCase() === needle);
  }

  listUsers(): StoredUser[] {
    return [...this.users];
  }

  async createUser(profile: UserProfile, password: string | null, activate: boolean, totpSecret?: string): Promise<StoredUser> {
    const now = new Date().toISOString();
    const user: StoredUser = {
      id: oktaId("user"),
      status: activate ? "ACTIVE" : "STAGED",
      created: now,
      activated: activate ? now : null,
      lastLogin: null,
      lastUpdated: now,
      passwordChanged: password ? now : null,
      profile: { locale: "en_US", timeZone: "America/Los_Angeles", ...profile },
      passwordHash: password ? await hashPassword(password) : null,
      totp: totpSecret ? { factorId: oktaId("factor"), secret: totpSecret } : null,
      failedAttempts: 0,
      emailVerified: activate,
    };
    this.users.push(user);
    this.saveUsers();
    return user;
  }

  /** Checks login + password. Failures count towards lock-out; a success resets the count. An
   * unknown login costs the same password check as a known one (against a dummy hash), so the
   * answer's timing does not tell whether the login exists. */
  async authenticate(login: string, password: string): Promise<AuthResult> {
    const user = this.findUser(login);
    const matches = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
    if (!user || !user.passwordHash) return { outcome: "invalid" };
    if (user.status === "LOCKED_OUT") return { outcome: "locked", user };
    if (user.status !== "ACTIVE") return { outcome: "invalid" };
    if (!matches) {
      user.failedAttempts += 1;
      if (user.failedAttempts >= MAX_FAILED_ATTEMPTS) user.status = "LOCKED_OUT";
      this.saveUsers();
      return { outcome: "invalid" };
    }
    user.failedAttempts = 0;
    this.saveUsers();
    return { outcome: "success", user };
  }

  /** Okta's partial profile update; a new email address is unverified. */
  updateProfile(user: StoredUser, patch: Partial<UserProfile>): void {
    const email = patch.email ?? user.profile.email;
    if (email.toLowerCase() !== user.profile.email.toLowerCase()) user.emailVerified = false;
    user.profile = { ...user.profile, ...patch };
    user.lastUpdated = new Date().toISOString();
    this.saveUsers();
  }

  recordLogin(user: StoredUser): void {
    user.lastLogin = new Date().toISOString();
    this.saveUsers();
  }

  unlock(user: StoredUser): void {
    user.status = "ACTIVE";
    user.failedAttempts = 0;
    this.saveUsers();
  }

  listGroups(query?: string): StoredGroup[] {
    const q = query?.toLowerCase();
    return this.groups.filter((g) => !q || g.profile.name.toLowerCase().startsWith(q));
  }

  findGroup(idOrName: string): StoredGroup | undefined {
    return this.groups.find((g) => g.id === idOrName || g.profile.name === idOrName);
  }

  ensureGroup(name: string, description = ""): StoredGroup {
    const existing = this.findGroup(name);
    if (existing) return existing;
    const now = new Date().toISOString();
    const group: StoredGroup = { id: oktaId("group"), created: now, lastUpdated: now, profile: { name, description }, members: [] };
    this.groups.push(group);
    this.saveGroups();
    return group;
  }

  addMember(group: StoredGroup, user: StoredUser): void {
    if (!group.members.includes(user.id)) group.members.push(user.id);
    group.lastUpdated = new Date().toISOString();
    this.saveGroups();
  }

  removeMember(group: StoredGroup, user: StoredUser): void {
    group.members = group.members.filter((id) => id !== user.id);
    this.saveGroups();
  }

  /** Okta puts every user in the built-in "Everyone" group; the claim lists the real ones too. */
  groupsOf(userId: string): StoredGroup[] {
    return this.groups.filter((g) => g.members.includes(userId));
  }

  private saveUsers(): void {
    this.usersFile.write(this.users);
  }

  private saveGroups(): void {
    this.groupsFile.write(this.groups);
  }
}
