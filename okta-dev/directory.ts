// Users and groups of the local org, persisted as users.json and groups.json, plus the
// credential check that the login page, the Authentication API and the password grant all
// share. Failed passwords lock nothing unless a lock-out policy is configured (it is off by
// default, as an account anyone can lock is one anyone can deny its owner); a locked account
// answers exactly as a wrong password does, as Okta does with "Show lock out failures" off.
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
  /** Consecutive failed passwords; counted only under a lock-out policy. */
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

/** Unknown login, wrong password and locked account are one outcome, so none can be told apart. */
export type AuthResult = { outcome: "success"; user: StoredUser } | { outcome: "invalid" };

export interface LockoutPolicy {
  /** Consecutive failed passwords after which an account is LOCKED_OUT until an admin unlocks
   * it; null (the default): failures never lock. */
  maxFailures: number | null;
}

export class Directory {
  private readonly usersFile: JsonFile<StoredUser[]>;
  private readonly groupsFile: JsonFile<StoredGroup[]>;
  private users: StoredUser[];
  private groups: StoredGroup[];

  constructor(
    dataDir: string,
    private readonly lockout: LockoutPolicy = { maxFailures: null },
  ) {
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

  /** Checks login + password. An unknown login costs the same password check as a known one
   * (against a dummy hash), and a locked or inactive account the same as an active one, so
   * neither the answer nor its timing tells whether the login exists or what state it is in.
   * Under a lock-out policy failures count towards it and a success resets the count. */
  async authenticate(login: string, password: string): Promise<AuthResult> {
    const user = this.findUser(login);
    const matches = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
    if (!user || !user.passwordHash || user.status !== "ACTIVE") return { outcome: "invalid" };
    if (!matches) {
      if (this.lockout.maxFailures !== null) {
        user.failedAttempts = (user.failedAttempts ?? 0) + 1;
        if (user.failedAttempts >= this.lockout.maxFailures) user.status = "LOCKED_OUT";
        this.saveUsers();
      }
      return { outcome: "invalid" };
    }
    if (user.failedAttempts) {
      user.failedAttempts = 0;
      this.saveUsers();
    }
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
