import type { Metadata } from "next";
import { AuditLog } from "@/components/admin/audit-log";
import { PageTitle } from "@/components/ui/basics";

export const metadata: Metadata = { title: "Audit log" };

export default function AuditPage() {
  return (
    <>
      <PageTitle>Audit log</PageTitle>
      <AuditLog />
    </>
  );
}
