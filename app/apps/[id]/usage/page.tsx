import type { Metadata } from "next";
import Link from "next/link";
import { orNotFound, requireViewer } from "@/lib/auth/viewer";
import { getApp } from "@/lib/portal/apps";
import { UsageCharts } from "@/components/portal/usage-charts";
import { PageTitle } from "@/components/ui/basics";

export const metadata: Metadata = { title: "Usage" };

export default async function UsagePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { ctx, actor } = await requireViewer(`/apps/${id}/usage`);
  const app = await orNotFound(getApp(ctx, actor, id));
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href={`/apps/${app.id}`} className="text-brand-700 hover:underline">
          ← {app.name}
        </Link>
      </p>
      <PageTitle>Usage of {app.name}</PageTitle>
      <UsageCharts appId={app.id} />
    </>
  );
}
