"use client";
// Self-registration: the account is created in Okta; every refusal (weak password, Okta
// unavailable, too many attempts) is shown on the form. An email that already has an account
// gets the same answer as a new one, so the confirmation reads right for both.
import Link from "next/link";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api, ApiError } from "../api-client";
import { buttonClass, ErrorNote, FieldError, inputClass } from "../ui/basics";

const MESSAGES: Record<number, string> = {
  429: "Too many sign-ups from your network. Please try again later.",
  503: "The identity provider is unavailable right now; nothing was created. Please try again in a few minutes.",
};

export function SignUpForm() {
  const [form, setForm] = useState({ firstName: "", lastName: "", email: "", password: "", acceptTerms: false });
  const signUp = useMutation({
    mutationFn: () => api<{ email: string }>("/signup", { method: "POST", body: form }),
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    signUp.mutate();
  };
  if (signUp.isSuccess) {
    return (
      <div role="status" className="space-y-3 rounded border border-green-200 bg-green-50 p-4 text-sm text-green-900">
        <p>
          Thanks — <strong>{signUp.data.email}</strong> can now sign in.
        </p>
        <p>
          <Link href="/signin" className="font-medium text-brand-700 underline">
            Sign in
          </Link>{" "}
          with the password you chose to create your first app. If this email already had an account, that account is unchanged: sign in with its password.
        </p>
      </div>
    );
  }
  const error = signUp.error;
  const message = error instanceof ApiError ? (MESSAGES[error.status] ?? error.title) : error ? String(error) : null;
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) => setForm({ ...form, [key]: event.target.value });
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {message ? <ErrorNote error={new Error(message)} /> : null}
      <div className="grid grid-cols-2 gap-4">
        <label className="block text-sm font-medium">
          First name
          <input className={inputClass} value={form.firstName} onChange={set("firstName")} autoComplete="given-name" required />
          <FieldError error={error} field="firstName" />
        </label>
        <label className="block text-sm font-medium">
          Last name
          <input className={inputClass} value={form.lastName} onChange={set("lastName")} autoComplete="family-name" required />
          <FieldError error={error} field="lastName" />
        </label>
      </div>
      <label className="block text-sm font-medium">
        Email
        <input className={inputClass} type="email" value={form.email} onChange={set("email")} autoComplete="email" required />
        <FieldError error={error} field="email" />
      </label>
      <label className="block text-sm font-medium">
        Password
        <input className={inputClass} type="password" value={form.password} onChange={set("password")} autoComplete="new-password" required />
        <FieldError error={error} field="password" />
      </label>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={form.acceptTerms} onChange={(e) => setForm({ ...form, acceptTerms: e.target.checked })} />I accept the terms of use
      </label>
      <FieldError error={error} field="acceptTerms" />
      <button type="submit" className={buttonClass} disabled={signUp.isPending}>
        {signUp.isPending ? "Creating your account…" : "Create account"}
      </button>
    </form>
  );
}
