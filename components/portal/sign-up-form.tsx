"use client";
// Self-registration: the account is created in Okta; every refusal (weak password, Okta
// unavailable, too many attempts) is shown on the form, under the field it is about. An email
// that already has an account gets the same answer as a new one, so the confirmation reads
// right for both. The form posts to a server action, so it works before JavaScript loads; the
// password rules are on the page from the start and are ticked off as you type once it has.
import Link from "next/link";
import { useActionState, useState } from "react";
import { signUpAction, type SignUpState } from "@/app/signup/actions";
import { fieldError, keptValue } from "@/lib/auth/form-state";
import { PASSWORD_RULES } from "@/lib/portal/password-policy";
import { buttonClass, inputClass } from "../ui/basics";
import { FormAlert, FormField } from "../ui/form-fields";

/** `callbackUrl`: a safe same-site path to come back to after signing in (an invitation's page, say). */
export function SignUpForm({ callbackUrl }: { callbackUrl?: string }) {
  const back = callbackUrl ? `?callbackUrl=${encodeURIComponent(callbackUrl)}` : "";
  const [state, action, pending] = useActionState<SignUpState, FormData>(signUpAction, {}, `/signup${back}`);
  // What was typed since the last answer (a refused form comes back with the password empty).
  const [typed, setTyped] = useState<{ answer: SignUpState; value: string } | null>(null);
  const password = typed?.answer === state ? typed.value : null;
  const [email, setEmail] = useState("");
  if (state.signedUpEmail) {
    return (
      <div role="status" className="space-y-3 rounded border border-green-200 bg-green-50 p-4 text-sm text-green-900">
        <p>
          Thanks — <strong>{state.signedUpEmail}</strong> can now sign in.
        </p>
        <p>
          <Link href={`/signin${back}`} className="font-medium text-brand-700 underline">
            Sign in
          </Link>{" "}
          with the password you chose to create your first app. If this email already had an account, that account is unchanged: sign in with its password.
        </p>
      </div>
    );
  }
  const passwordError = fieldError(state, "password");
  return (
    <form action={action} className="space-y-4" noValidate aria-label="Create a developer account">
      <FormAlert message={state.formError} />
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <FormField label="First name" name="firstName" error={fieldError(state, "firstName")}>
          {(props) => <input {...props} className={inputClass} defaultValue={keptValue(state, "firstName")} autoComplete="given-name" required maxLength={50} />}
        </FormField>
        <FormField label="Last name" name="lastName" error={fieldError(state, "lastName")}>
          {(props) => <input {...props} className={inputClass} defaultValue={keptValue(state, "lastName")} autoComplete="family-name" required maxLength={50} />}
        </FormField>
      </div>
      <FormField label="Email" name="email" error={fieldError(state, "email")}>
        {(props) => (
          <input
            {...props}
            className={inputClass}
            type="email"
            defaultValue={keptValue(state, "email")}
            onChange={(e) => setEmail(e.target.value)}
            autoComplete="email"
            required
            maxLength={100}
          />
        )}
      </FormField>
      <FormField label="Password" name="password" error={passwordError} describedBy="password-rules">
        {(props) => (
          <input
            {...props}
            className={inputClass}
            type="password"
            onChange={(e) => setTyped({ answer: state, value: e.target.value })}
            autoComplete="new-password"
            required
            maxLength={100}
          />
        )}
      </FormField>
      <div id="password-rules" className="text-sm text-slate-600">
        <p>Your password needs:</p>
        <ul className="mt-1 space-y-0.5" data-testid="password-rules">
          {PASSWORD_RULES.map((rule) => {
            // Unknown until typed into (and always without JavaScript): a plain bullet.
            const met = password === null ? null : rule.met(password, email);
            return (
              <li key={rule.id} data-rule={rule.id} data-met={met === null ? undefined : String(met)} className={met ? "text-green-800" : undefined}>
                <span aria-hidden="true" className="inline-block w-5">
                  {met ? "✓" : "•"}
                </span>
                {rule.text}
                {met ? <span className="sr-only"> (done)</span> : null}
              </li>
            );
          })}
        </ul>
      </div>
      <div>
        <label className="flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            name="acceptTerms"
            className="mt-1"
            defaultChecked={keptValue(state, "acceptTerms") === "on"}
            required
            aria-invalid={fieldError(state, "acceptTerms") ? true : undefined}
            aria-describedby={fieldError(state, "acceptTerms") ? "acceptTerms-error" : undefined}
          />
          <span>
            I accept the{" "}
            <Link href="/terms" className="text-brand-700 underline">
              terms of use
            </Link>
          </span>
        </label>
        {fieldError(state, "acceptTerms") ? (
          <p id="acceptTerms-error" data-testid="acceptTerms-error" className="mt-1 text-sm text-red-700">
            {fieldError(state, "acceptTerms")}
          </p>
        ) : null}
      </div>
      <button type="submit" className={buttonClass} disabled={pending}>
        {pending ? "Creating your account…" : "Create account"}
      </button>
    </form>
  );
}
