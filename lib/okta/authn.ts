// Checking a user's password with Okta (password grant, mode A): the Authentication API through
// Okta's own client library. Unknown user and wrong password are one outcome — Okta answers
// both with E0000004 — so nothing tells them apart.
import OktaAuth from "@okta/okta-auth-js";
import type { OktaSettings } from "./settings.ts";

export type PasswordCheck = { outcome: "success"; userId: string; login: string } | { outcome: "invalid" | "mfa_required" | "locked_out" | "unavailable" };

export async function checkPasswordWithOkta(okta: OktaSettings, username: string, password: string): Promise<PasswordCheck> {
  const auth = new OktaAuth({ issuer: okta.issuer, clientId: okta.delegationClient.clientId, redirectUri: "http://localhost/unused" });
  try {
    const tx = await auth.signInWithCredentials({ username, password });
    if (tx.status === "SUCCESS" && tx.user?.id) return { outcome: "success", userId: tx.user.id, login: username };
    if (tx.status === "MFA_REQUIRED" || tx.status === "MFA_ENROLL") return { outcome: "mfa_required" };
    if (tx.status === "LOCKED_OUT") return { outcome: "locked_out" };
    return { outcome: "invalid" };
  } catch (error) {
    const code = (error as { errorCode?: string }).errorCode;
    if (code === "E0000004" || code === "E0000001") return { outcome: "invalid" };
    return { outcome: "unavailable" };
  }
}
