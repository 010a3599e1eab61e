"use server";
// Sign-up as a server action: the same lib/portal call as POST /api/v1/signup, and a plain form
// post when JavaScript has not loaded. The password is never sent back to the page.
import { clientAddress, failedForm, text } from "@/lib/auth/form-actions";
import type { FormState } from "@/lib/auth/form-state";
import { getOktaSettings } from "@/lib/okta/settings";
import { PortalError } from "@/lib/portal/errors";
import { portalContext } from "@/lib/portal/runtime";
import { signUp } from "@/lib/portal/signup";

export interface SignUpState extends FormState {
  /** Set once the account exists (or already existed — the page says the same either way). */
  signedUpEmail?: string;
}

const MESSAGES: Partial<Record<PortalError["code"], string>> = {
  rate_limited: "Too many sign-ups from your network. Please try again later.",
  unavailable: "The identity provider is unavailable right now; nothing was created. Please try again in a few minutes.",
};

export async function signUpAction(_previous: SignUpState, form: FormData): Promise<SignUpState> {
  const values = { firstName: text(form, "firstName"), lastName: text(form, "lastName"), email: text(form, "email"), acceptTerms: text(form, "acceptTerms") };
  const input = { ...values, password: text(form, "password"), acceptTerms: values.acceptTerms === "on" };
  try {
    const { email } = await signUp(portalContext(), getOktaSettings(), input, await clientAddress());
    return { signedUpEmail: email };
  } catch (error) {
    const state = failedForm(error, values);
    const plain = error instanceof PortalError ? MESSAGES[error.code] : undefined;
    return plain ? { ...state, formError: plain } : state;
  }
}
