// Okta's Users API, for self-registration: the one place that speaks it, mapping Okta's
// error shapes to outcomes the sign-up form can show.
import { z } from "zod";
import type { OktaSettings } from "./settings.ts";

export type SignUpInput = { firstName: string; lastName: string; email: string; password: string };

export type SignUpOutcome =
  | { ok: true; userId: string }
  | { ok: false; reason: "duplicate" | "weak_password" | "invalid" | "unavailable"; message: string };

const OktaError = z.object({
  errorCode: z.string(),
  errorSummary: z.string().optional(),
  errorCauses: z.array(z.object({ errorSummary: z.string() })).default([]),
});
const OktaUser = z.object({ id: z.string() });

export async function createOktaUser(okta: OktaSettings, input: SignUpInput, timeoutMs = 5_000): Promise<SignUpOutcome> {
  if (!okta.apiToken) return { ok: false, reason: "unavailable", message: "Self-registration is not configured (OKTA_API_TOKEN)." };
  let res: Response;
  try {
    res = await fetch(`${okta.orgUrl}/api/v1/users?activate=true`, {
      method: "POST",
      headers: { authorization: `SSWS ${okta.apiToken}`, "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({
        profile: { firstName: input.firstName, lastName: input.lastName, email: input.email, login: input.email },
        credentials: { password: { value: input.password } },
      }),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "error",
    });
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
    return { ok: false, reason: "invalid", message: causes.join(" ") || "Okta refused these details." };
  }
  return { ok: false, reason: "unavailable", message: "The identity provider refused the request; please try again later." };
}
