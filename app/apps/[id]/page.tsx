import type { Metadata } from "next";
import { orNotFound, requireViewer } from "@/lib/auth/viewer";
import { getConfig } from "@/lib/config";
import { getApp } from "@/lib/portal/apps";
import { listCatalog } from "@/lib/portal/catalog";
import { firstCallFor } from "@/lib/portal/first-call";
import { AppDetail } from "@/components/portal/app-detail";
import { GettingStarted } from "@/components/portal/getting-started";

export const metadata: Metadata = { title: "App" };

export default async function AppPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { ctx, actor } = await requireViewer(`/apps/${id}`);
  const app = await orNotFound(getApp(ctx, actor, id));
  const products = await listCatalog(ctx, actor, { limit: 100 });
  const plan = await firstCallFor(ctx, app, getConfig().publicUrl);
  return <AppDetail initial={app} products={products.items} gettingStarted={<GettingStarted plan={plan} />} />;
}
