"use client";
// A one-button form bound to a server action (delete, revoke, add): a plain form post before
// JavaScript loads, an in-page call after; a refusal is shown next to the button.
import { useActionState, type ReactNode } from "react";
import type { FormState } from "@/lib/auth/form-state";
import { FormAlert } from "./form-fields";

export function ActionForm({
  action,
  permalink,
  label,
  className,
  fields = {},
  children,
}: {
  action: (previous: FormState, form: FormData) => Promise<FormState>;
  permalink: string;
  label: string;
  className: string;
  /** Hidden inputs: what the button acts on. */
  fields?: Record<string, string>;
  /** Shown before the button (a confirmation question). */
  children?: ReactNode;
}) {
  const [state, formAction, pending] = useActionState(action, {}, permalink);
  return (
    <form action={formAction} className="inline-flex flex-wrap items-center gap-3">
      {children}
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" className={className} disabled={pending}>
        {label}
      </button>
      <FormAlert message={state.formError} />
    </form>
  );
}

/** A disclosure that asks before a destructive action: works without JavaScript (details/summary). */
export function Confirm({ summary, summaryClassName, children }: { summary: string; summaryClassName: string; children: ReactNode }) {
  return (
    <details className="group inline-block text-left">
      <summary className={`${summaryClassName} cursor-pointer list-none [&::-webkit-details-marker]:hidden`}>{summary}</summary>
      <div className="mt-2 rounded border border-red-300 bg-red-50 p-3 text-sm">{children}</div>
    </details>
  );
}
