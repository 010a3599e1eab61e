"use client";
// One app as an admin sees it: owner, credentials (revoke), subscriptions, revoke all tokens,
// and the settings only admins may change (password grant, implicit, consent, status).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { AppView } from "@/lib/portal/views";
import { api } from "../api-client";
import { Card, dangerButtonClass, ErrorNote, formatDate, secondaryButtonClass, StatusBadge, StatusNote } from "../ui/basics";
import { AppFacts, AppHeading } from "../portal/app-facts";
import { CredentialTable } from "../portal/credential-table";

type Settings = { passwordGrantMode?: "okta_authn" | "okta_token" | null; implicitEnabled?: boolean; skipConsent?: boolean; status?: "active" | "suspended" };

export function AdminAppDetail({ initial }: { initial: AppView }) {
  const queryClient = useQueryClient();
  const key = ["admin-app", initial.id];
  const { data: app = initial } = useQuery({ queryKey: key, queryFn: () => api<AppView>(`/apps/${initial.id}`), initialData: initial, staleTime: 0 });
  const [notice, setNotice] = useState<string | null>(null);
  const settings = useMutation({
    mutationFn: (body: Settings) => api<AppView>(`/apps/${app.id}/settings`, { method: "PATCH", body }),
    onSuccess: (updated) => {
      queryClient.setQueryData(key, updated);
      setNotice("Settings saved.");
    },
  });
  // While a change is on its way, show the value asked for. It is kept in React state set in the
  // event handler itself, so the controlled input re-renders with it at once instead of snapping
  // back until the mutation's own state arrives a tick later.
  const [asked, setAsked] = useState<Settings | null>(null);
  const change = (body: Settings) => {
    setAsked(body);
    settings.mutate(body, { onSettled: () => setAsked(null) });
  };
  const shown = <K extends keyof Settings>(field: K, current: Settings[K]): Settings[K] => (asked && field in asked ? asked[field] : current);
  const revokeCredential = useMutation({
    mutationFn: (credentialId: string) => api(`/apps/${app.id}/credentials/${credentialId}`, { method: "DELETE" }),
    onSuccess: () => {
      setNotice("Credential revoked.");
      void queryClient.invalidateQueries({ queryKey: key });
    },
  });
  const revokeTokens = useMutation({
    mutationFn: () => api<{ revoked: number }>(`/apps/${app.id}/revoke-tokens`, { method: "POST" }),
    onSuccess: (r) => setNotice(`${r.revoked} token(s) revoked.`),
  });
  return (
    <div className="space-y-6">
      <AppHeading app={app} owner={app.owner?.name ?? app.ownerId} nameClassName="text-2xl font-bold text-brand-900" />
      <StatusNote>{notice}</StatusNote>
      <ErrorNote error={settings.error ?? revokeCredential.error ?? revokeTokens.error} />
      <Card title="Details">
        <AppFacts app={app} />
      </Card>
      <Card title="Admin settings">
        <div className="space-y-3 text-sm">
          <label className="flex items-center gap-2">
            Password grant
            <select
              className="rounded border border-slate-300 px-2 py-1"
              value={shown("passwordGrantMode", app.passwordGrantMode as Settings["passwordGrantMode"]) ?? ""}
              onChange={(e) => change({ passwordGrantMode: (e.target.value || null) as Settings["passwordGrantMode"] })}
            >
              <option value="">off (recommended)</option>
              <option value="okta_authn">on — Okta Authentication API</option>
              <option value="okta_token">on — Okta token endpoint</option>
            </select>
          </label>
          <label className="flex items-center gap-2">
            <input type="checkbox" checked={shown("implicitEnabled", app.implicitEnabled)} onChange={(e) => change({ implicitEnabled: e.target.checked })} /> Allow the implicit
            flow (discouraged by RFC 9700)
          </label>
          <label className="flex items-center gap-2">
            <input type="checkbox" checked={shown("skipConsent", app.skipConsent)} onChange={(e) => change({ skipConsent: e.target.checked })} /> Skip the consent screen
            (first-party app)
          </label>
          <div className="flex gap-2">
            {app.status === "active" ? (
              <button type="button" className={dangerButtonClass} onClick={() => change({ status: "suspended" })}>
                Suspend app
              </button>
            ) : (
              <button type="button" className={secondaryButtonClass} onClick={() => change({ status: "active" })}>
                Reactivate app
              </button>
            )}
            <button type="button" className={dangerButtonClass} disabled={revokeTokens.isPending} onClick={() => revokeTokens.mutate()}>
              Revoke all tokens
            </button>
          </div>
        </div>
      </Card>
      <Card title="Credentials">
        <CredentialTable
          credentials={app.credentials ?? []}
          noSecret="—"
          action={(c) => (
            <button type="button" className={dangerButtonClass} disabled={revokeCredential.isPending} onClick={() => revokeCredential.mutate(c.id)}>
              Revoke credential
            </button>
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
