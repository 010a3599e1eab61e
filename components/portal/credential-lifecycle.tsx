"use client";
// A credential's lifetime in words (expires in N days, in its grace period until …, replaced by …)
// and the two forms an owner uses on an active credential: renew it with a grace period, and
// restrict it to web pages and address ranges. Both are disclosures holding plain forms posting
// to server actions, so they work before JavaScript loads; ids carry the credential's id, since
// one page lists several credentials.
import { useActionState, useState } from "react";
import { renewCredentialAction, restrictCredentialAction } from "@/app/apps/actions";
import { fieldError, keptValue } from "@/lib/auth/form-state";
import type { CredentialView } from "@/lib/portal/views";
import { buttonClass, formatDate, inputClass, secondaryButtonClass } from "../ui/basics";
import { useCachesStaleOnSubmit } from "../ui/action-form";
import { FormAlert, FormField } from "../ui/form-fields";
import { boundAction } from "@/components/ui/bound-action";

const DAY_MS = 86_400_000;

function inDays(iso: string, now: number): string {
  const days = Math.ceil((new Date(iso).getTime() - now) / DAY_MS);
  return days <= 0 ? "ended" : days === 1 ? "in 1 day" : `in ${days} days`;
}

/** When the credential stops working, prominently: its grace period's end wins over its expiry. */
export function CredentialLifetime({ credential: c, replacedBy }: { credential: CredentialView; replacedBy?: string | null }) {
  // the instant of the first render; days are coarse enough for server and browser to agree
  const [now] = useState(() => Date.now());
  if (c.status !== "active") return <span>{c.revokedAt ? `revoked ${formatDate(c.revokedAt)}` : "—"}</span>;
  const soon = (iso: string) => new Date(iso).getTime() - now <= 14 * DAY_MS;
  return (
    <span data-testid="credential-lifetime" className="space-y-0.5">
      {c.graceEndsAt ? (
        <strong className="block text-amber-800" data-testid="credential-grace">
          In grace period until {formatDate(c.graceEndsAt)} ({inDays(c.graceEndsAt, now)})
        </strong>
      ) : null}
      {c.replacedById ? <span className="block text-slate-600">Replaced by {replacedBy ?? c.replacedById}</span> : null}
      {c.expiresAt ? (
        <span className={`block ${soon(c.expiresAt) ? "font-semibold text-amber-800" : ""}`} data-testid="credential-expires">
          Expires {formatDate(c.expiresAt)} ({inDays(c.expiresAt, now)})
        </span>
      ) : c.graceEndsAt ? null : (
        <span className="block">Never expires</span>
      )}
    </span>
  );
}

export function RenewCredentialForm({ appId, credential, maxGraceDays }: { appId: string; credential: CredentialView; maxGraceDays: number }) {
  const page = `/apps/${appId}`;
  const [state, action, pending] = useActionState(boundAction(renewCredentialAction, appId), {}, page);
  const stale = useCachesStaleOnSubmit();
  return (
    <details className="inline-block text-left" open={state.formError ? true : undefined}>
      <summary className={`${secondaryButtonClass} inline-block cursor-pointer list-none [&::-webkit-details-marker]:hidden`}>Renew</summary>
      <form action={action} onSubmit={stale} className="mt-2 space-y-2 rounded border border-slate-200 bg-slate-50 p-3 text-sm">
        <input type="hidden" name="credentialId" value={credential.id} />
        <p>A new credential is issued now; this one keeps working for the grace period, then is revoked with its tokens.</p>
        <FormField label={`Grace period in days (0 to ${maxGraceDays})`} name="graceDays" id={`renew-${credential.id}`} error={fieldError(state, "graceDays")}>
          {(props) => (
            <input
              {...props}
              type="number"
              inputMode="numeric"
              min={0}
              max={maxGraceDays}
              required
              defaultValue={keptValue(state, "graceDays", String(Math.min(7, maxGraceDays)))}
              className={`${inputClass} max-w-32`}
            />
          )}
        </FormField>
        <FormAlert message={state.formError} />
        <button type="submit" className={buttonClass} disabled={pending}>
          Renew credential
        </button>
      </form>
    </details>
  );
}

export function RestrictCredentialForm({ appId, credential }: { appId: string; credential: CredentialView }) {
  const page = `/apps/${appId}`;
  const [state, action, pending] = useActionState(boundAction(restrictCredentialAction, appId), {}, page);
  const stale = useCachesStaleOnSubmit();
  const field = (name: "allowedReferrers" | "allowedCidrs", label: string, placeholder: string) => (
    <FormField label={label} name={name} id={`${name}-${credential.id}`} error={fieldError(state, name)}>
      {(props) => (
        <textarea {...props} rows={3} className={`${inputClass} font-mono`} placeholder={placeholder} defaultValue={keptValue(state, name, credential[name].join("\n"))} />
      )}
    </FormField>
  );
  const restricted = credential.allowedReferrers.length + credential.allowedCidrs.length > 0;
  return (
    <details className="inline-block text-left" open={state.formError ? true : undefined}>
      <summary className={`${secondaryButtonClass} inline-block cursor-pointer list-none [&::-webkit-details-marker]:hidden`}>
        {restricted ? "Restrictions (on)" : "Restrict"}
      </summary>
      <form action={action} onSubmit={stale} className="mt-2 space-y-2 rounded border border-slate-200 bg-slate-50 p-3 text-sm">
        <input type="hidden" name="credentialId" value={credential.id} />
        <p>One per line; empty means any. Refused requests get 401 at the token endpoint and 403 at the gateway.</p>
        {field("allowedReferrers", "Web pages (Origin or Referer), e.g. https://app.example.com/*", "https://app.example.com/*")}
        {field("allowedCidrs", "Source address ranges, e.g. 203.0.113.0/24 or 2001:db8::/32", "203.0.113.0/24")}
        <FormAlert message={state.formError} />
        <button type="submit" className={buttonClass} disabled={pending}>
          Save restrictions
        </button>
      </form>
    </details>
  );
}
