"use client";
// A destructive action behind a question. The disclosure's summary names the action ("Revoke…");
// opening it states the consequence in plain words and shows the only button that acts ("Yes,
// revoke"). It is a <details> inside a form posting to a server action, so it works before
// JavaScript loads (a native POST, the page rendered again with the result) and after (the
// result in place, the question closed).
import { useActionState, useEffect, useRef, type ReactNode } from "react";
import { dangerButtonClass, secondaryButtonClass } from "./basics";

/** What a form's server action reports: a line for the page, and for a creation its secret. */
export type ActionResult = { ok: boolean; message: string; secret?: { name: string; key: string } } | null;
export type FormAction = (previous: ActionResult, form: FormData) => Promise<ActionResult>;

/** Its result under a form: green for done, red for refused. */
export function ActionNote({ result }: { result: ActionResult }) {
  if (!result) return null;
  return (
    <p role={result.ok ? "status" : "alert"} data-testid={result.ok ? undefined : "form-error"} className={`mt-1 text-sm ${result.ok ? "text-green-800" : "text-red-800"}`}>
      {result.message}
    </p>
  );
}

/** After each result with JavaScript: `then` (e.g. refetch a list) once per new result. */
export function useAfterResult(result: ActionResult, then?: (result: NonNullable<ActionResult>) => void) {
  const seen = useRef(result);
  useEffect(() => {
    if (result && result !== seen.current) then?.(result);
    seen.current = result;
  }, [result, then]);
}

export function ConfirmAction({
  action,
  fields = {},
  label,
  consequence,
  confirm,
  lead,
  children,
  onDone,
  testId,
}: {
  action: FormAction;
  /** Hidden inputs naming what is acted on. */
  fields?: Record<string, string>;
  /** The summary: the action with an ellipsis, e.g. "Suspend…". */
  label: string;
  /** What happens, in plain words, naming the thing by name. */
  consequence: ReactNode;
  /** The button that acts, e.g. "Yes, suspend". */
  confirm: string;
  /** Fields filled in before asking (whose tokens), shown above the summary. */
  lead?: ReactNode;
  /** Fields that belong to the answer (a reason), shown in the question above its button. */
  children?: ReactNode;
  onDone?: (result: NonNullable<ActionResult>) => void;
  testId?: string;
}) {
  const [result, formAction, pending] = useActionState(action, null);
  const details = useRef<HTMLDetailsElement>(null);
  useAfterResult(result, (r) => {
    if (details.current && r.ok) details.current.open = false;
    if (r.ok) onDone?.(r);
  });
  return (
    <form action={formAction} className="inline-block max-w-full text-left align-top" data-testid={testId}>
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {/* Enter in a field must not skip the question: the form's default button is this disabled one. */}
      <button type="submit" disabled hidden aria-hidden="true" tabIndex={-1} />
      {lead}
      <details ref={details}>
        <summary className={`${dangerButtonClass} inline-block cursor-pointer list-none [&::-webkit-details-marker]:hidden`}>{label}</summary>
        <div className="mt-2 max-w-sm rounded border border-red-200 bg-red-50 p-3 text-sm text-red-900">
          <p>{consequence}</p>
          {children}
          <div className="mt-3 flex flex-wrap gap-2">
            <button type="submit" className="rounded bg-red-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-800 disabled:opacity-50" disabled={pending}>
              {confirm}
            </button>
            <button
              type="button"
              className={secondaryButtonClass}
              onClick={() => {
                if (details.current) details.current.open = false;
                details.current?.querySelector("summary")?.focus();
              }}
            >
              Cancel
            </button>
          </div>
        </div>
      </details>
      <ActionNote result={result} />
    </form>
  );
}
