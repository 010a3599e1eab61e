// Small presentational pieces shared by portal and admin pages. Everything user-supplied is
// rendered as React text (escaped); nothing here builds HTML.
import type { ReactNode } from "react";
import { ApiError } from "../api-client";

export function PageTitle({ children, actions }: { children: ReactNode; actions?: ReactNode }) {
  return (
    <div className="mb-6 flex flex-wrap items-center justify-between gap-4">
      <h1 className="text-2xl font-bold tracking-tight text-brand-900">{children}</h1>
      {actions ? <div className="flex gap-2">{actions}</div> : null}
    </div>
  );
}

/** A page that is its title and what follows it (a list, a form, a dashboard). */
export function TitledPage({ title, actions, children }: { title: ReactNode; actions?: ReactNode; children: ReactNode }) {
  return (
    <>
      <PageTitle actions={actions}>{title}</PageTitle>
      {children}
    </>
  );
}

export function Card({ title, children, actions }: { title?: ReactNode; children: ReactNode; actions?: ReactNode }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm" aria-label={typeof title === "string" ? title : undefined}>
      {title || actions ? (
        <div className="mb-3 flex items-center justify-between gap-3">
          {title ? <h2 className="text-lg font-semibold text-brand-700">{title}</h2> : <span />}
          {actions}
        </div>
      ) : null}
      {children}
    </section>
  );
}

const STATUS_COLOURS: Record<string, string> = {
  approved: "bg-green-100 text-green-800",
  active: "bg-green-100 text-green-800",
  pending: "bg-amber-100 text-amber-800",
  rejected: "bg-red-100 text-red-800",
  revoked: "bg-red-100 text-red-800",
  suspended: "bg-red-100 text-red-800",
  expired: "bg-slate-200 text-slate-700",
  disabled: "bg-slate-200 text-slate-700",
};

export function StatusBadge({ status, testId }: { status: string; testId?: string }) {
  return (
    <span data-testid={testId} className={`inline-block rounded px-2 py-0.5 text-xs font-medium ${STATUS_COLOURS[status] ?? "bg-slate-100 text-slate-700"}`}>
      {status}
    </span>
  );
}

export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof ApiError || error instanceof Error ? error.message : String(error);
  return (
    <p role="alert" data-testid="form-error" className="rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
      {message}
    </p>
  );
}

/** A line saying what just happened (a saved setting, a count of revoked tokens); nothing while there is none. */
export function StatusNote({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <p role="status" className="text-sm text-green-800">
      {children}
    </p>
  );
}

/** The <option>s of a select: each a value shown as itself, or a [value, label] pair. */
export function Options({ options }: { options: readonly (string | readonly [string, string])[] }) {
  return options.map((o) => {
    const [value, label] = typeof o === "string" ? [o, o] : o;
    return (
      <option key={value} value={value}>
        {label}
      </option>
    );
  });
}

export function FieldError({ error, field }: { error: unknown; field: string }) {
  const fields = error instanceof ApiError ? error.fields : undefined;
  const message = fields?.[field] ?? Object.entries(fields ?? {}).find(([k]) => k.startsWith(`${field}.`))?.[1];
  return message ? <p className="mt-1 text-sm text-red-700">{message}</p> : null;
}

export const inputClass = "mt-1 block w-full rounded border border-slate-300 bg-white px-3 py-2 text-sm focus:border-brand-600 focus:outline-none";
export const buttonClass = "rounded bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-50";
export const secondaryButtonClass = "rounded border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-50 disabled:opacity-50";
export const dangerButtonClass = "rounded border border-red-300 bg-white px-3 py-1.5 text-sm text-red-700 hover:bg-red-50 disabled:opacity-50";

export function Empty({ children }: { children: ReactNode }) {
  return <p className="rounded border border-dashed border-slate-300 p-6 text-center text-sm text-slate-500">{children}</p>;
}

export function formatDate(iso: string | null | undefined): string {
  return iso ? new Date(iso).toISOString().replace("T", " ").slice(0, 16) + " UTC" : "—";
}
