// What an app is, as both its owner and an admin see it: its heading, and a list of label / value rows.
import type { ReactNode } from "react";
import type { AppView } from "@/lib/portal/views";
import { StatusBadge } from "../ui/basics";
import { CopyButton } from "../ui/copy-button";

/** The app's name, then its type, whose it is (when the viewer is not its owner) and its status. */
export function AppHeading({ app, owner, nameClassName }: { app: AppView; owner?: string; nameClassName: string }) {
  return (
    <div>
      <h1 data-testid="app-name" className={nameClassName}>
        {app.name}
      </h1>
      <p className="text-sm text-slate-500">
        {app.type} client{owner === undefined ? "" : ` of ${owner}`} · <StatusBadge status={app.status} />
      </p>
    </div>
  );
}

export function DetailRow({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-slate-500">{label}</dt>
      <dd className={className}>{children}</dd>
    </>
  );
}

/** client_id, description, redirect URIs and grant types; `children` are further rows. */
export function AppFacts({ app, noRedirectUris, children }: { app: AppView; noRedirectUris?: string; children?: ReactNode }) {
  const clientId = app.credentials?.find((c) => c.status === "active")?.clientId;
  return (
    <dl className="grid grid-cols-[10rem_1fr] gap-2 text-sm">
      {clientId ? (
        <DetailRow label="client_id" className="font-mono break-all">
          {clientId} <CopyButton value={clientId} label="Copy client ID" testId="copy-client-id" />
        </DetailRow>
      ) : null}
      <DetailRow label="Description">{app.description || "—"}</DetailRow>
      <DetailRow label="Redirect URIs" className="font-mono">
        {app.redirectUris.length ? app.redirectUris.map((u) => <div key={u}>{u}</div>) : noRedirectUris}
      </DetailRow>
      <DetailRow label="Grant types">{app.grantTypes.join(", ")}</DetailRow>
      {children}
    </dl>
  );
}
