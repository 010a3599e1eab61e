// Okta's Users and Groups APIs, for self-registration: the one place that speaks them, mapping
// Okta's error shapes to outcomes the sign-up form can show. Every self-registered user is
// created inside the self-registered group (one request, so no such user exists outside it):
// that is how sign-in tells an email somebody typed from one Okta has vouched for.
import { z } from "zod";
import type { OktaSettings } from "./settings.ts";

export type SignUpInput = { firstName: string; lastName: string; email: string; password: string };

export type SignUpOutcome = { ok: true; userId: string } | { ok: false; reason: "duplicate" | "weak_password" | "invalid" | "unavailable"; message: string };

const OktaError = z.object({
  errorCode: z.string(),
  errorSummary: z.string().optional(),
  errorCauses: z.array(z.object({ errorSummary: z.string() })).default([]),
});
const OktaUser = z.object({ id: z.string() });
const OktaGroups = z.array(z.object({ id: z.string(), profile: z.object({ name: z.string() }) }));

/** Group ids already looked up, per org and group name: a group's id never changes. */
const groupIds = new Map<string, string>();
const groupKey = (okta: OktaSettings) => `${okta.orgUrl} ${okta.selfRegisteredGroup}`;

function oktaRequest(okta: OktaSettings, method: string, path: string, body: unknown, timeoutMs: number): Promise<Response> {
  return fetch(`${okta.orgUrl}${path}`, {
    method,
    headers: { authorization: `SSWS ${okta.apiToken}`, "content-type": "application/json", accept: "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
    redirect: "error",
  });
}

/** The self-registered group's id: found by name, or created when the org has none yet (a
 * concurrent creation loses to the first and finds it). Throws when Okta cannot say. */
async function selfRegisteredGroupId(okta: OktaSettings, timeoutMs: number): Promise<string> {
  const name = okta.selfRegisteredGroup;
  const cached = groupIds.get(groupKey(okta));
  if (cached) return cached;
  const find = async () => {
    // `q` matches name prefixes: keep the exact name only
    const res = await oktaRequest(okta, "GET", `/api/v1/groups?q=${encodeURIComponent(name)}&limit=200`, undefined, timeoutMs);
    if (!res.ok) throw new Error(`Okta groups lookup answered ${res.status}`);
    return OktaGroups.parse(await res.json()).find((g) => g.profile.name === name)?.id;
  };
  let id = await find();
  if (!id) {
    const created = await oktaRequest(okta, "POST", "/api/v1/groups", { profile: { name, description: "Signed up through the Gatehouse portal; email not proven" } }, timeoutMs);
    id = created.ok ? OktaGroups.element.parse(await created.json()).id : await find();
  }
  if (!id) throw new Error(`Okta group ${name} can be neither found nor created`);
  groupIds.set(groupKey(okta), id);
  return id;
}

export async function createOktaUser(okta: OktaSettings, input: SignUpInput, timeoutMs = 5_000): Promise<SignUpOutcome> {
  if (!okta.apiToken) return { ok: false, reason: "unavailable", message: "Self-registration is not configured (OKTA_API_TOKEN)." };
  let res: Response;
  try {
    const groupId = await selfRegisteredGroupId(okta, timeoutMs);
    res = await oktaRequest(
      okta,
      "POST",
      "/api/v1/users?activate=true",
      {
        profile: { firstName: input.firstName, lastName: input.lastName, email: input.email, login: input.email },
        credentials: { password: { value: input.password } },
        groupIds: [groupId],
      },
      timeoutMs,
    );
  } catch {
    return { ok: false, reason: "unavailable", message: "The identity provider cannot be reached; please try again later." };
  }
  const body = await res.json().catch(() => null);
  if (res.ok) {
    const user = OktaUser.safeParse(body);
    return user.success ? { ok: true, userId: user.data.id } : { ok: false, reason: "unavailable", message: "The identity provider answered unexpectedly." };
  }
  const error = OktaError.safeParse(body);
  if (res.status === 400 && error.success && error.data.errorCode === "E0000001") {
    const causes = error.data.errorCauses.map((c) => c.errorSummary);
    const passwordCauses = causes.filter((c) => /password/i.test(c));
    // a weak password is reported even when Okta also says the login exists, so that what the
    // form says about the password does not depend on whether the account does
    if (passwordCauses.length) return { ok: false, reason: "weak_password", message: passwordCauses.join(" ") };
    if (causes.some((c) => /already exists/i.test(c))) return { ok: false, reason: "duplicate", message: "An account with this email already exists." };
  }
  // the group may have been deleted since it was looked up: look it up again next time
  groupIds.delete(groupKey(okta));
  if (res.status === 400 && error.success && error.data.errorCode === "E0000001") {
    const causes = error.data.errorCauses.map((c) => c.errorSummary);
    return { ok: false, reason: "invalid", message: causes.join(" ") || "Okta refused these details." };
  }
  return { ok: false, reason: "unavailable", message: "The identity provider refused the request; please try again later." };
}
