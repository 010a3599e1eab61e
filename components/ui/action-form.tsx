"use client";
// One-button forms bound to a server action (delete, revoke, add): a plain form post before
// JavaScript loads, an in-page call after; a refusal is shown next to the button.
import { useQueryClient } from "@tanstack/react-query";
import { useActionState, type ReactNode } from "react";
import type { FormState } from "@/lib/auth/form-state";
import { FormAlert } from "./form-fields";

/** For a form's onSubmit (which lets the submission go on): lists cached in the browser (the apps
 * list) are out of date once a server action changes something, so they reload when next shown. */
export function useCachesStaleOnSubmit(): () => void {
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries();
}

type Action = (previous: FormState, form: FormData) => Promise<FormState>;

interface ActionProps {
  action: Action;
  /** The page the form is on, where a post made before JavaScript loads shows its answer. */
  permalink: string;
  label: string;
  className: string;
  /** Hidden inputs: what the button acts on. */
  fields?: Record<string, string>;
}

function Fields({
  state,
  fields = {},
  label,
  className,
  pending,
  children,
}: Omit<ActionProps, "action" | "permalink"> & { state: FormState; pending: boolean; children?: ReactNode }) {
  return (
    <>
      {children}
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" className={className} disabled={pending}>
        {label}
      </button>
      <FormAlert message={state.formError} />
    </>
  );
}

export function ActionForm({ action, permalink, ...rest }: ActionProps) {
  const [state, formAction, pending] = useActionState(action, {}, permalink);
  const stale = useCachesStaleOnSubmit();
  return (
    <form action={formAction} onSubmit={stale} className="inline-flex flex-wrap items-center gap-3">
      <Fields state={state} pending={pending} {...rest} />
    </form>
  );
}

/** A destructive action behind a disclosure that asks first (details/summary: no JavaScript
 * needed); it stays open to show a refusal. */
export function ConfirmAction({
  summary,
  summaryClassName,
  question,
  action,
  permalink,
  ...rest
}: ActionProps & { summary: string; summaryClassName: string; question: ReactNode }) {
  const [state, formAction, pending] = useActionState(action, {}, permalink);
  const stale = useCachesStaleOnSubmit();
  return (
    <details className="inline-block text-left" open={state.formError ? true : undefined}>
      <summary className={`${summaryClassName} inline-block cursor-pointer list-none [&::-webkit-details-marker]:hidden`}>{summary}</summary>
      <form action={formAction} onSubmit={stale} className="mt-2 flex flex-wrap items-center gap-3 rounded border border-red-300 bg-red-50 p-3 text-sm">
        <Fields state={state} pending={pending} {...rest}>
          <span>{question}</span>
        </Fields>
      </form>
    </details>
  );
}
