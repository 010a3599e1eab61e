import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requireViewer } from "@/lib/auth/viewer";
import { getApp } from "@/lib/portal/apps";
import { listCatalog } from "@/lib/portal/catalog";
import { PortalError } from "@/lib/portal/errors";
import { AppDetail } from "@/components/portal/app-detail";

export const metadata: Metadata = { title: "App" };

export default async function AppPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { ctx, actor } = await requireViewer(`/apps/${id}`);
  const app = await getApp(ctx, actor, id).catch((error: unknown) => {
    if (error instanceof PortalError && error.code === "not_found") notFound();
    throw error;
  });
  const products = await listCatalog(ctx, actor, { limit: 100 });
  return <AppDetail initial={app} products={products.items} />;
}
