import type { Metadata } from "next";
import { AuditLog } from "@/components/admin/audit-log";
import { TitledPage } from "@/components/ui/basics";
import { requireAdmin } from "@/lib/auth/viewer";
import { listAudit } from "@/lib/portal/audit";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage() {
  const { ctx, actor } = await requireAdmin("/admin/audit");
  return (
    <TitledPage title="Audit log">
      <AuditLog initial={await listAudit(ctx, actor, {})} />
    </TitledPage>
  );
}
