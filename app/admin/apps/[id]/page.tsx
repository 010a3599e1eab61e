import type { Metadata } from "next";
import { orNotFound, requireAdmin } from "@/lib/auth/viewer";
import { getApp } from "@/lib/portal/apps";
import { getDeveloper } from "@/lib/portal/developers";
import { AdminAppDetail } from "@/components/admin/admin-app-detail";

export const metadata: Metadata = { title: "App (admin)" };

export default async function AdminAppPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { ctx, actor } = await requireAdmin(`/admin/apps/${id}`);
  const app = await orNotFound(getApp(ctx, actor, id));
  // The owner by name and email, not by id (an app's view carries only the id).
  const owner = app.owner ?? (await getDeveloper(ctx, actor, app.ownerId));
  return <AdminAppDetail app={app} owner={`${owner.name} (${owner.email})`} />;
}
