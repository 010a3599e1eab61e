"use client";
// One app for its owner: details, edit, delete, credentials (add = rotation, revoke), the
// client certificate (mutual TLS) and the status of each product subscription with the admin's reason.
// Every change is a form posting to a server action (app/apps/actions.ts), so it works before
// JavaScript loads; the server then renders this page again with fresh data.
import Link from "next/link";
import { useState, type ReactNode } from "react";
import { addCredentialAction, deleteAppAction, revokeCredentialAction, updateAppAction } from "@/app/apps/actions";
import type { AppView, ProductView } from "@/lib/portal/views";
import { Card, dangerButtonClass, Empty, formatDate, secondaryButtonClass, StatusBadge } from "../ui/basics";
import { ActionForm, ConfirmAction } from "../ui/action-form";
import { HeadedTable } from "../ui/headed-table";
import { AppFacts, AppHeading, DetailRow } from "./app-facts";
import { AppForm, type AppFormValues } from "./app-form";
import { ClientCertificateCard } from "./client-certificate-card";
import { CredentialTable } from "./credential-table";
import { RenewCredentialForm, RestrictCredentialForm } from "./credential-lifecycle";
import { SecretPanel } from "./secret-panel";
import { boundAction } from "@/components/ui/bound-action";

export interface IssuedSecretView {
  clientId: string;
  secret: string;
}

export function AppDetail({
  initial: app,
  products,
  issuedSecret,
  editing = false,
  gettingStarted,
  readOnly = false,
  maxGraceDays = 30,
}: {
  /** A team viewer: the app and its usage, without the buttons that change it. */
  readOnly?: boolean;
  initial: AppView;
  /** The admin's longest grace period for a renewal (the renew form's maximum). */
  maxGraceDays?: number;
  products: ProductView[];
  /** A secret issued just now (new app or new credential): shown once, here. */
  issuedSecret?: IssuedSecretView | null;
  /** The edit form instead of the details (`?edit=1`, a plain link). */
  editing?: boolean;
  /** The first-call steps: right after a just-issued secret, else last. */
  gettingStarted?: ReactNode;
}) {
  const secret = useShownSecret(issuedSecret ?? null);
  // a new app: its first call stays on top even after the secret panel is dismissed
  const [firstCallOnTop] = useState(() => Boolean(issuedSecret));
  const page = `/apps/${app.id}`;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <AppHeading app={app} nameClassName="text-2xl font-bold tracking-tight text-brand-900" />
        <div className="flex flex-wrap items-start gap-2">
          <Link href={`${page}/usage`} className={secondaryButtonClass}>
            Usage
          </Link>
          {readOnly ? null : (
            <>
              <Link href={editing ? page : `${page}?edit=1`} className={secondaryButtonClass}>
                {editing ? "Cancel edit" : "Edit"}
              </Link>
              <ConfirmAction
                summary="Delete app"
                summaryClassName={dangerButtonClass}
                question="Delete this app? Its credentials and tokens are revoked at once. This cannot be undone."
                action={boundAction(deleteAppAction, app.id)}
                permalink={page}
                label="Delete permanently"
                className={dangerButtonClass}
              />
            </>
          )}
        </div>
      </div>

      {secret.value ? <SecretPanel clientId={secret.value.clientId} secret={secret.value.secret} onDismiss={secret.dismiss} /> : null}
      {firstCallOnTop ? gettingStarted : null}

      {editing && !readOnly ? (
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
            action={boundAction(updateAppAction, app.id)}
            permalink={`${page}?edit=1`}
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
        actions={readOnly ? null : <ActionForm action={boundAction(addCredentialAction, app.id)} permalink={page} label="Add credential" className={secondaryButtonClass} />}
      >
        <p className="mb-3 text-sm text-slate-500">
          Rotate without downtime: <em>Renew</em> issues a new credential and keeps the old one working for a grace period (at most {maxGraceDays} days), then revokes it. Or add a
          credential, move your app to it, then revoke the old one.
        </p>
        {app.credentials?.length ? (
          <CredentialTable
            credentials={app.credentials}
            noSecret="none (public)"
            withCreated
            action={(c) =>
              readOnly ? null : (
                <div className="flex flex-wrap justify-end gap-2">
                  {c.replacedById ? null : <RenewCredentialForm appId={app.id} credential={c} maxGraceDays={maxGraceDays} />}
                  <RestrictCredentialForm appId={app.id} credential={c} />
                  <ConfirmAction
                    summary="Revoke"
                    summaryClassName={dangerButtonClass}
                    question={`Apps using ${c.clientId} stop working at once.`}
                    action={boundAction(revokeCredentialAction, app.id)}
                    permalink={page}
                    label="Confirm revoke"
                    className={dangerButtonClass}
                    fields={{ credentialId: c.id }}
                  />
                </div>
              )
            }
          />
        ) : (
          <Empty>No credentials.</Empty>
        )}
      </Card>

      {readOnly ? null : <ClientCertificateCard app={app} />}

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

/** The last secret the server handed over stays on screen (a later refresh of the page no longer
 * carries it) until the developer says it is stored. */
function useShownSecret(issued: IssuedSecretView | null) {
  const [shown, setShown] = useState<{ from: IssuedSecretView | null; value: IssuedSecretView | null }>({ from: issued, value: issued });
  if (issued && issued.clientId !== shown.from?.clientId) setShown({ from: issued, value: issued });
  return { value: shown.value, dismiss: () => setShown({ from: issued, value: null }) };
}
