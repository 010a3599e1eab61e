// The slice of Okta's Users and Groups APIs Gatehouse uses for self-registration and admin
// checks: create (with Okta's validation errors, optionally into groups), read by id or login,
// list, group membership.
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { requireApiToken } from "./api-token.ts";
import type { StoredGroup, StoredUser } from "./directory.ts";
import { readParams, sendEmpty, sendJson } from "./http-io.ts";
import { sendOktaError } from "./okta-errors.ts";
import type { Org } from "./org.ts";
import { passwordPolicyViolations } from "./passwords.ts";

const CreateUser = z.object({
  profile: z.object({
    firstName: z.string().min(1),
    lastName: z.string().min(1),
    email: z.email(),
    login: z.string().min(1),
    locale: z.string().optional(),
    timeZone: z.string().optional(),
  }),
  credentials: z.object({ password: z.object({ value: z.string() }).optional() }).optional(),
  /** Groups the user joins as it is created, in the same request. */
  groupIds: z.array(z.string().min(1)).optional(),
});

export function userResource(org: Org, user: StoredUser) {
  const self = `${org.url}/api/v1/users/${user.id}`;
  return {
    id: user.id,
    status: user.status,
    created: user.created,
    activated: user.activated,
    statusChanged: user.activated,
    lastLogin: user.lastLogin,
    lastUpdated: user.lastUpdated,
    passwordChanged: user.passwordChanged,
    type: { id: "oty00000000000000000" },
    profile: { ...user.profile, mobilePhone: null, secondEmail: null },
    credentials: {
      ...(user.passwordHash ? { password: {} } : {}),
      emails: [{ value: user.profile.email, status: user.emailVerified === false ? "UNVERIFIED" : "VERIFIED", type: "PRIMARY" }],
      provider: { type: "OKTA", name: "OKTA" },
    },
    _links: { self: { href: self } },
  };
}

function groupResource(org: Org, group: StoredGroup) {
  return {
    id: group.id,
    created: group.created,
    lastUpdated: group.lastUpdated,
    lastMembershipUpdated: group.lastUpdated,
    objectClass: ["okta:user_group"],
    type: "OKTA_GROUP",
    profile: group.profile,
    _links: { users: { href: `${org.url}/api/v1/groups/${group.id}/users` } },
  };
}

export function createUsersApi(org: Org) {
  async function create(req: IncomingMessage, res: ServerResponse, query: URLSearchParams) {
    const parsed = CreateUser.safeParse(await readParams(req));
    if (!parsed.success) {
      const causes = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
      return sendOktaError(res, "E0000001", "Api validation failed: profile", causes);
    }
    const { profile, credentials, groupIds = [] } = parsed.data;
    const groups = groupIds.map((id) => org.directory.listGroups().find((g) => g.id === id));
    if (groups.some((g) => !g)) return sendOktaError(res, "E0000001", "Api validation failed: groupIds", ["groupIds: One or more group ids are invalid"]);
    // the password policy first: whether a weak password is refused must not depend on whether the login exists
    const password = credentials?.password?.value ?? null;
    if (password !== null) {
      const problems = passwordPolicyViolations(password, profile.login);
      if (problems.length) {
        return sendOktaError(res, "E0000001", "Api validation failed: password", [`password: Password requirements were not met. Password requirements: ${problems.join(", ")}.`]);
      }
    }
    if (org.directory.findUser(profile.login)) {
      return sendOktaError(res, "E0000001", "Api validation failed: login", ["login: An object with this field already exists in the current organization"]);
    }
    const activate = query.get("activate") !== "false";
    const user = await org.directory.createUser(profile, password, activate);
    for (const group of groups) org.directory.addMember(group!, user);
    sendJson(res, 200, userResource(org, user));
  }

  /** POST /api/v1/users/{id}: Okta's partial update of the profile (the login stays unique). */
  async function updateProfile(req: IncomingMessage, res: ServerResponse, idOrLogin: string) {
    const user = org.directory.findUser(idOrLogin);
    if (!user) return sendOktaError(res, "E0000007", `Not found: Resource not found: ${idOrLogin} (User)`);
    const parsed = z.object({ profile: CreateUser.shape.profile.partial() }).safeParse(await readParams(req));
    if (!parsed.success) {
      return sendOktaError(
        res,
        "E0000001",
        "Api validation failed: profile",
        parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`),
      );
    }
    const { login } = parsed.data.profile;
    const holder = login ? org.directory.findUser(login) : undefined;
    if (holder && holder.id !== user.id) {
      return sendOktaError(res, "E0000001", "Api validation failed: login", ["login: An object with this field already exists in the current organization"]);
    }
    org.directory.updateProfile(user, parsed.data.profile);
    sendJson(res, 200, userResource(org, user));
  }

  async function route(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<boolean> {
    const method = req.method ?? "GET";
    let m: RegExpExecArray | null;
    if (path === "/api/v1/users") {
      if (method === "POST") await create(req, res, query);
      else if (method === "GET") {
        const q = (query.get("q") ?? "").toLowerCase();
        const users = org.directory.listUsers().filter((u) => !q || u.profile.login.toLowerCase().startsWith(q) || u.profile.email.toLowerCase().startsWith(q));
        sendJson(
          res,
          200,
          users.map((u) => userResource(org, u)),
        );
      } else sendOktaError(res, "E0000022");
      return true;
    }
    if ((m = /^\/api\/v1\/users\/([^/]+)$/.exec(path)) && method === "POST") {
      await updateProfile(req, res, decodeURIComponent(m[1]));
      return true;
    }
    if ((m = /^\/api\/v1\/users\/([^/]+)$/.exec(path)) && method === "GET") {
      const user = org.directory.findUser(decodeURIComponent(m[1]));
      if (!user) sendOktaError(res, "E0000007", `Not found: Resource not found: ${m[1]} (User)`);
      else sendJson(res, 200, userResource(org, user));
      return true;
    }
    if ((m = /^\/api\/v1\/users\/([^/]+)\/groups$/.exec(path)) && method === "GET") {
      const user = org.directory.findUser(decodeURIComponent(m[1]));
      if (!user) sendOktaError(res, "E0000007");
      else
        sendJson(
          res,
          200,
          org.directory.groupsOf(user.id).map((g) => groupResource(org, g)),
        );
      return true;
    }
    if ((m = /^\/api\/v1\/users\/([^/]+)\/lifecycle\/unlock$/.exec(path)) && method === "POST") {
      const user = org.directory.findUser(decodeURIComponent(m[1]));
      if (!user) sendOktaError(res, "E0000007");
      else {
        org.directory.unlock(user);
        sendJson(res, 200, {});
      }
      return true;
    }
    if (path === "/api/v1/groups") {
      if (method === "GET")
        sendJson(
          res,
          200,
          org.directory.listGroups(query.get("q") ?? undefined).map((g) => groupResource(org, g)),
        );
      else if (method === "POST") {
        const body = z.object({ profile: z.object({ name: z.string().min(1), description: z.string().optional() }) }).safeParse(await readParams(req));
        if (!body.success) sendOktaError(res, "E0000001", undefined, ["profile.name: required"]);
        else if (org.directory.findGroup(body.data.profile.name)) sendOktaError(res, "E0000001", undefined, ["name: An object with this field already exists"]);
        else sendJson(res, 200, groupResource(org, org.directory.ensureGroup(body.data.profile.name, body.data.profile.description)));
      } else sendOktaError(res, "E0000022");
      return true;
    }
    if ((m = /^\/api\/v1\/groups\/([^/]+)\/users\/([^/]+)$/.exec(path)) && (method === "PUT" || method === "DELETE")) {
      const group = org.directory.findGroup(decodeURIComponent(m[1]));
      const user = org.directory.findUser(decodeURIComponent(m[2]));
      if (!group || !user) return (sendOktaError(res, "E0000007"), true);
      if (method === "PUT") org.directory.addMember(group, user);
      else org.directory.removeMember(group, user);
      sendEmpty(res, 204);
      return true;
    }
    if ((m = /^\/api\/v1\/groups\/([^/]+)\/users$/.exec(path)) && method === "GET") {
      const group = org.directory.findGroup(decodeURIComponent(m[1]));
      if (!group) sendOktaError(res, "E0000007");
      else
        sendJson(
          res,
          200,
          group.members
            .map((id) => org.directory.findUser(id))
            .filter((u): u is StoredUser => !!u)
            .map((u) => userResource(org, u)),
        );
      return true;
    }
    return false;
  }

  /** Routes under /api/v1/users and /api/v1/groups; false when the path is not one of them. */
  return async function handle(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<boolean> {
    if (!/^\/api\/v1\/(users|groups)(\/|$)/.test(path)) return false;
    if (!requireApiToken(org, req, res)) return true;
    if (!(await route(req, res, path, query))) sendOktaError(res, "E0000007");
    return true;
  };
}
