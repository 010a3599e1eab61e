"use client";
// One app for its owner: details, edit, delete, credentials (add = rotation, revoke), the
// client certificate (mutual TLS) and the status of each product subscription with the admin's reason.
import Link from "next/link";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useState, type ReactNode } from "react";
import type { AppView, CredentialView, ProductView } from "@/lib/portal/views";
import { api } from "../api-client";
import { Card, dangerButtonClass, Empty, ErrorNote, formatDate, secondaryButtonClass, StatusBadge } from "../ui/basics";
import { HeadedTable } from "../ui/headed-table";
import { AppFacts, AppHeading, DetailRow } from "./app-facts";
import { AppForm, type AppFormValues } from "./app-form";
import { ClientCertificateCard } from "./client-certificate-card";
import { CredentialTable } from "./credential-table";
import { forgetSecret, peekSecret } from "./issued-secret";
import { SecretPanel } from "./secret-panel";

/** `gettingStarted` (the first-call steps) comes right after a just-issued secret, else last. */
export function AppDetail({ initial, products, gettingStarted }: { initial: AppView; products: ProductView[]; gettingStarted?: ReactNode }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const key = ["app", initial.id];
  const { data: app = initial } = useQuery({ queryKey: key, queryFn: () => api<AppView>(`/apps/${initial.id}`), initialData: initial, staleTime: 0 });
  // Read once on first render: the secret handed over by the "new app" form, if any.
  const [secret, setSecret] = useState(() => (typeof window === "undefined" ? null : peekSecret(initial.id)));
  useEffect(() => forgetSecret(initial.id), [initial.id]);
  // a new app: its first call stays on top even after the secret panel is dismissed
  const [firstCallOnTop] = useState(() => secret !== null);
  const [editing, setEditing] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [confirmRevoke, setConfirmRevoke] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: key });

  const update = useMutation({
    mutationFn: (v: AppFormValues) =>
      api<AppView>(`/apps/${app.id}`, { method: "PATCH", body: { name: v.name, description: v.description, redirectUris: v.redirectUris, products: v.products } }),
    onSuccess: (updated) => {
      queryClient.setQueryData(key, updated);
      void queryClient.invalidateQueries({ queryKey: ["/apps"] });
      setEditing(false);
    },
  });
  const remove = useMutation({
    mutationFn: () => api(`/apps/${app.id}`, { method: "DELETE" }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ["/apps"] });
      router.push("/apps");
      router.refresh();
    },
  });
  const addCredential = useMutation({
    mutationFn: () => api<CredentialView & { clientSecret: string | null }>(`/apps/${app.id}/credentials`, { method: "POST" }),
    onSuccess: (credential) => {
      if (credential.clientSecret) setSecret({ clientId: credential.clientId, secret: credential.clientSecret });
      void refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: (credentialId: string) => api(`/apps/${app.id}/credentials/${credentialId}`, { method: "DELETE" }),
    onSuccess: () => {
      setConfirmRevoke(null);
      void refresh();
    },
  });

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <AppHeading app={app} nameClassName="text-2xl font-bold tracking-tight text-brand-900" />
        <div className="flex gap-2">
          <Link href={`/apps/${app.id}/usage`} className={secondaryButtonClass}>
            Usage
          </Link>
          <button type="button" className={secondaryButtonClass} onClick={() => setEditing(!editing)}>
            {editing ? "Cancel edit" : "Edit"}
          </button>
          <button type="button" className={dangerButtonClass} onClick={() => setConfirmDelete(true)}>
            Delete app
          </button>
        </div>
      </div>

      {confirmDelete ? (
        <div role="alertdialog" aria-label="Confirm deletion" className="flex items-center gap-3 rounded border border-red-300 bg-red-50 p-4 text-sm">
          <span>Delete this app? Its credentials and tokens are revoked at once. This cannot be undone.</span>
          <button type="button" className={dangerButtonClass} disabled={remove.isPending} onClick={() => remove.mutate()}>
            Delete permanently
          </button>
          <button type="button" className={secondaryButtonClass} onClick={() => setConfirmDelete(false)}>
            Keep it
          </button>
          <ErrorNote error={remove.error} />
        </div>
      ) : null}

      {secret ? <SecretPanel clientId={secret.clientId} secret={secret.secret} onDismiss={() => setSecret(null)} /> : null}
      {firstCallOnTop ? gettingStarted : null}

      {editing ? (
        <Card title="Edit app">
          <AppForm
            mode="edit"
            products={products}
            initial={{
              name: app.name,
              description: app.description,
              type: app.type as AppFormValues["type"],
              redirectUris: app.redirectUris,
              products: (app.subscriptions ?? []).filter((s) => s.status !== "revoked" && s.status !== "rejected").map((s) => s.product.slug),
            }}
            submitting={update.isPending}
            error={update.error}
            onSubmit={(v) => update.mutate(v)}
          />
        </Card>
      ) : (
        <Card title="Details">
          <AppFacts app={app} noRedirectUris="—">
            <DetailRow label="Created">{formatDate(app.createdAt)}</DetailRow>
          </AppFacts>
        </Card>
      )}

      <Card
        title="Credentials"
        actions={
          <button type="button" className={secondaryButtonClass} disabled={addCredential.isPending} onClick={() => addCredential.mutate()}>
            Add credential
          </button>
        }
      >
        <ErrorNote error={addCredential.error ?? revoke.error} />
        <p className="mb-3 text-sm text-slate-500">Rotate without downtime: add a credential, move your app to it, then revoke the old one.</p>
        {app.credentials?.length ? (
          <CredentialTable
            credentials={app.credentials}
            noSecret="none (public)"
            withCreated
            action={(c) =>
              confirmRevoke === c.id ? (
                <span className="inline-flex gap-2">
                  <button type="button" className={dangerButtonClass} disabled={revoke.isPending} onClick={() => revoke.mutate(c.id)}>
                    Confirm revoke
                  </button>
                  <button type="button" className={secondaryButtonClass} onClick={() => setConfirmRevoke(null)}>
                    Cancel
                  </button>
                </span>
              ) : (
                <button type="button" className={dangerButtonClass} onClick={() => setConfirmRevoke(c.id)}>
                  Revoke
                </button>
              )
            }
          />
        ) : (
          <Empty>No credentials.</Empty>
        )}
      </Card>

      <ClientCertificateCard app={app} />

      <Card title="Product subscriptions">
        {app.subscriptions?.length ? (
          <HeadedTable headers={["Product", "Status", "Reason", "Decided"]}>
            {app.subscriptions.map((s) => (
              <tr key={s.id} data-testid={`subscription-${s.product.slug}`} className="border-t border-slate-100">
                <td className="py-2">
                  <Link href={`/catalog/${s.product.slug}`} className="text-brand-700 hover:underline">
                    {s.product.name}
                  </Link>
                </td>
                <td>
                  <StatusBadge status={s.status} testId="subscription-status" />
                </td>
                <td>
                  {s.reason ?? (s.earlierDecision ? null : "—")}
                  {s.earlierDecision ? (
                    <span data-testid="earlier-decision" className="block text-slate-500">
                      Asked again after an admin {s.earlierDecision.status === "rejected" ? "rejected" : "revoked"} it
                      {s.earlierDecision.reason ? `: ${s.earlierDecision.reason}` : ""}. An admin decides.
                    </span>
                  ) : null}
                </td>
                <td>{formatDate(s.decidedAt)}</td>
              </tr>
            ))}
          </HeadedTable>
        ) : (
          <Empty>Not subscribed to any product. Edit the app to add one.</Empty>
        )}
      </Card>

      {firstCallOnTop ? null : gettingStarted}
    </div>
  );
}
