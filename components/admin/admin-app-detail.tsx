"use client";
// One app as an admin sees it: owner, credentials (revoke), subscriptions, revoke all tokens,
// and the settings only admins may change (password grant, implicit, consent, status). Every
// change is a form posting to a server action (so it works before JavaScript loads); the page
// is rendered again with the result. The destructive ones ask first.
import { useActionState, useRef, useState } from "react";
import type { AppView } from "@/lib/portal/views";
import { revokeAppTokensAction, revokeCredentialAction, saveAppSettingsAction, setAppStatusAction } from "@/app/admin/actions";
import { Card, formatDate, secondaryButtonClass, StatusBadge, StatusNote } from "../ui/basics";
import { ActionNote, ConfirmAction } from "../ui/confirm-action";
import { AppFacts, AppHeading } from "../portal/app-facts";
import { CredentialTable } from "../portal/credential-table";

/** `owner`: who owns it, by name and email. */
export function AdminAppDetail({ app, owner }: { app: AppView; owner: string }) {
  // A revoked credential's row (a suspended app's button) goes, and its note with it: the page says it instead.
  const [notice, setNotice] = useState<string | null>(null);
  const done = (r: { message: string }) => setNotice(r.message);
  return (
    <div className="space-y-6">
      <AppHeading app={app} owner={owner} nameClassName="text-2xl font-bold text-brand-900" />
      <StatusNote>{notice}</StatusNote>
      <Card title="Details">
        <AppFacts app={app} />
      </Card>
      <Card title="Admin settings">
        <div className="space-y-4 text-sm">
          <SettingsForm app={app} />
          <div className="flex flex-wrap items-start gap-2">
            {app.status === "active" ? (
              <ConfirmAction
                action={setAppStatusAction}
                fields={{ appId: app.id, status: "suspended" }}
                label="Suspend app…"
                confirm="Yes, suspend the app"
                consequence={`Suspend ${app.name} of ${owner}? Its credentials stop working at once and no new tokens are issued until it is reactivated.`}
                onDone={done}
              />
            ) : (
              <Reactivate app={app} />
            )}
            <ConfirmAction
              action={revokeAppTokensAction}
              fields={{ appId: app.id }}
              label="Revoke all tokens…"
              confirm="Yes, revoke all tokens"
              consequence={`Revoke every access and refresh token of ${app.name}? Calls with them are refused at once; its users must sign in again.`}
            />
          </div>
        </div>
      </Card>
      <Card title="Credentials">
        <CredentialTable
          credentials={app.credentials ?? []}
          noSecret="—"
          action={(c) => (
            <ConfirmAction
              action={revokeCredentialAction}
              fields={{ appId: app.id, credentialId: c.id }}
              label="Revoke credential…"
              confirm="Yes, revoke"
              consequence={`Revoke credential ${c.clientId} of ${app.name}? Calls with it, and tokens issued to it, are refused at once.`}
              onDone={done}
            />
          )}
        />
      </Card>
      <Card title="Subscriptions">
        <ul className="space-y-1 text-sm">
          {app.subscriptions?.map((s) => (
            <li key={s.id} data-testid={`subscription-${s.product.slug}`}>
              {s.product.name} <StatusBadge status={s.status} testId="subscription-status" /> {s.reason ? `— ${s.reason}` : ""}{" "}
              <span className="text-slate-500">{formatDate(s.decidedAt)}</span>
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}

/** Saved as a whole; with JavaScript every change saves at once, without it "Save settings" does. */
function SettingsForm({ app }: { app: AppView }) {
  const [result, action, pending] = useActionState(saveAppSettingsAction, null);
  const form = useRef<HTMLFormElement>(null);
  const save = () => form.current?.requestSubmit();
  return (
    <form ref={form} action={action} className="space-y-3" aria-label="Admin settings">
      <input type="hidden" name="appId" value={app.id} />
      <label className="flex flex-wrap items-center gap-2">
        Password grant
        <select name="passwordGrantMode" className="rounded border border-slate-300 px-2 py-1" defaultValue={app.passwordGrantMode ?? ""} onChange={save}>
          <option value="">off (recommended)</option>
          <option value="okta_authn">on — Okta Authentication API</option>
          <option value="okta_token">on — Okta token endpoint</option>
        </select>
      </label>
      <label className="flex items-center gap-2">
        <input type="checkbox" name="implicitEnabled" defaultChecked={app.implicitEnabled} onChange={save} /> Allow the implicit flow (discouraged by RFC 9700)
      </label>
      <label className="flex items-center gap-2">
        <input type="checkbox" name="skipConsent" defaultChecked={app.skipConsent} onChange={save} /> Skip the consent screen (first-party app)
      </label>
      <label className="flex items-center gap-2">
        <input type="checkbox" name="requirePushedAuthorizationRequests" defaultChecked={app.requirePushedAuthorizationRequests} onChange={save} /> Require pushed authorization
        requests (PAR, RFC 9126)
      </label>
      <label className="flex items-center gap-2">
        <input type="checkbox" name="dpopBoundAccessTokens" defaultChecked={app.dpopBoundAccessTokens} onChange={save} /> Require DPoP-bound tokens (RFC 9449)
      </label>
      <label className="flex flex-col gap-1">
        Issuers whose tokens this app may exchange (RFC 8693), one per line
        <textarea
          name="tokenExchangeIssuers"
          rows={2}
          className="rounded border border-slate-300 px-2 py-1 font-mono text-sm"
          defaultValue={app.tokenExchangeIssuers.join("\n")}
          onBlur={save}
          aria-describedby="token-exchange-issuers-help"
        />
        <span id="token-exchange-issuers-help" className="text-sm text-slate-600">
          Empty: this app may not exchange tokens. Only issuers Gatehouse trusts (Okta&apos;s) are accepted at the token endpoint.
        </span>
      </label>
      <button type="submit" className={secondaryButtonClass} disabled={pending}>
        Save settings
      </button>
      <ActionNote result={result} />
    </form>
  );
}

function Reactivate({ app }: { app: AppView }) {
  const [result, action, pending] = useActionState(setAppStatusAction, null);
  return (
    <form action={action} className="inline-block">
      <input type="hidden" name="appId" value={app.id} />
      <input type="hidden" name="status" value="active" />
      <button type="submit" className={secondaryButtonClass} disabled={pending}>
        Reactivate app
      </button>
      <ActionNote result={result} />
    </form>
  );
}
