import type { Metadata } from "next";
import { takeIssuedSecret } from "@/lib/auth/issued-secret";
import { orNotFound, requireViewer } from "@/lib/auth/viewer";
import { getConfig } from "@/lib/config";
import { getApp } from "@/lib/portal/apps";
import { listCatalog } from "@/lib/portal/catalog";
import { registrationOrigin } from "@/lib/portal/client-registration";
import { getCredentialSettings } from "@/lib/portal/credential-settings";
import { firstCallFor } from "@/lib/portal/first-call";
import { AppDetail } from "@/components/portal/app-detail";
import { GettingStarted } from "@/components/portal/getting-started";
import { PinnedVersionNotice } from "@/components/portal/pinned-version-notice";
import { AppOwnerCard } from "@/components/portal/app-owner-card";
import { appCapability } from "@/lib/portal/app-access";
import { listMyTeams } from "@/lib/portal/teams";

export const metadata: Metadata = { title: "App" };

export default async function AppPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { id } = await params;
  const { ctx, actor } = await requireViewer(`/apps/${id}`);
  const app = await orNotFound(getApp(ctx, actor, id));
  const products = await listCatalog(ctx, actor, { limit: 100 });
  // A secret issued by the form that sent the browser here, shown this once.
  const issuedSecret = await takeIssuedSecret(ctx, app.id);
  const plan = await firstCallFor(ctx, app, getConfig().publicUrl);
  const registered = await registrationOrigin(ctx, actor, app.id);
  const canManage = (await appCapability(ctx, actor, app)) === "manage";
  const myTeams = canManage ? (await listMyTeams(ctx, actor)).items.filter((t) => t.role !== "viewer") : [];
  const { status, error } = await searchParams;
  const { maxRenewalGraceDays } = await getCredentialSettings(ctx);
  return (
    <div className="space-y-6">
      <PinnedVersionNotice appId={app.id} appName={app.name} />
      {registered ? (
        <p data-testid="registration-origin" className="text-sm text-slate-600">
          Registered by software{registered.softwareId ? ` ${registered.softwareId}${registered.softwareVersion ? ` ${registered.softwareVersion}` : ""}` : ""} with the
          registration token {registered.tokenLabel ?? "(deleted)"}.
        </p>
      ) : null}
      <AppDetail
        initial={app}
        products={products.items}
        issuedSecret={issuedSecret}
        editing={(await searchParams).edit !== undefined}
        readOnly={!canManage}
        gettingStarted={<GettingStarted plan={plan} />}
        maxGraceDays={maxRenewalGraceDays}
      />
      <AppOwnerCard appId={app.id} team={app.team} canMove={canManage} teams={myTeams.map((t) => ({ id: t.id, name: t.name }))} status={status} error={error} />
    </div>
  );
}
