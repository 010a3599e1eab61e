import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requireAdmin } from "@/lib/auth/viewer";
import { getApp } from "@/lib/portal/apps";
import { PortalError } from "@/lib/portal/errors";
import { AdminAppDetail } from "@/components/admin/admin-app-detail";

export const metadata: Metadata = { title: "App (admin)" };

export default async function AdminAppPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { ctx, actor } = await requireAdmin(`/admin/apps/${id}`);
  const app = await getApp(ctx, actor, id).catch((error: unknown) => {
    if (error instanceof PortalError && error.code === "not_found") notFound();
    throw error;
  });
  return <AdminAppDetail initial={app} />;
}
