import type { Metadata } from "next";
import { AdminAppList } from "@/components/admin/admin-app-list";
import { TitledPage } from "@/components/ui/basics";
import { requireAdmin } from "@/lib/auth/viewer";
import { listApps } from "@/lib/portal/apps";

export const metadata: Metadata = { title: "All apps" };

export default async function AdminAppsPage({ searchParams }: { searchParams: Promise<{ ownerId?: string }> }) {
  const { ownerId } = await searchParams;
  const owner = typeof ownerId === "string" ? ownerId : undefined;
  const { ctx, actor } = await requireAdmin("/admin/apps");
  const first = await listApps(ctx, actor, { ownerId: owner });
  return (
    <TitledPage title="Apps">
      <AdminAppList ownerId={owner} initial={first} />
    </TitledPage>
  );
}
