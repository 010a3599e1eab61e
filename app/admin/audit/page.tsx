import type { Metadata } from "next";
import { AuditLog } from "@/components/admin/audit-log";
import { TitledPage } from "@/components/ui/basics";

export const metadata: Metadata = { title: "Audit log" };

export default function AuditPage() {
  return (
    <TitledPage title="Audit log">
      <AuditLog />
    </TitledPage>
  );
}
