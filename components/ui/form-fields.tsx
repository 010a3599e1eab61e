// A labelled form field with its message, wired for assistive technology: the input gets its
// name, an id, aria-invalid while refused, and aria-describedby pointing at the message and any
// help text. The caller renders the input itself (input, textarea, select) from the props.
import type { ReactNode } from "react";

export interface FieldProps {
  id: string;
  name: string;
  "aria-invalid"?: true;
  "aria-describedby"?: string;
}

export function FormField({
  label,
  name,
  id = `field-${name}`,
  error,
  describedBy,
  children,
}: {
  label: ReactNode;
  name: string;
  /** The input's id when `field-<name>` is not unique on the page (a form repeated per item). */
  id?: string;
  error?: string;
  /** Ids of help text elsewhere on the form. */
  describedBy?: string;
  children: (props: FieldProps) => ReactNode;
}) {
  const errorId = `${id}-error`;
  const describedByIds = [error ? errorId : null, describedBy].filter(Boolean).join(" ");
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      {children({ id, name, ...(error ? { "aria-invalid": true as const } : {}), ...(describedByIds ? { "aria-describedby": describedByIds } : {}) })}
      {error ? (
        <p id={errorId} data-testid={`${name}-error`} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** The form's own message (what went wrong as a whole), announced when it appears. */
export function FormAlert({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <p role="alert" data-testid="form-error" className="rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
      {message}
    </p>
  );
}
