import type { Metadata } from "next";
import { ApprovalQueue } from "@/components/admin/approval-queue";
import { QUEUE_STATUSES } from "@/components/admin/queue-statuses";
import { TitledPage } from "@/components/ui/basics";
import { requireAdmin } from "@/lib/auth/viewer";
import { listSubscriptions } from "@/lib/portal/subscriptions";

export const metadata: Metadata = { title: "Approval queue" };

/** The first page of `?status=` (pending by default) comes rendered, so the decisions work before JavaScript. */
export default async function ApprovalsPage({ searchParams }: { searchParams: Promise<{ status?: string }> }) {
  const { status: asked } = await searchParams;
  const status = QUEUE_STATUSES.find((s) => s === asked) ?? "pending";
  const { ctx, actor } = await requireAdmin("/admin/approvals");
  const first = await listSubscriptions(ctx, actor, { status });
  return (
    <TitledPage title="Approval queue">
      <ApprovalQueue initial={first} initialStatus={status} />
    </TitledPage>
  );
}
