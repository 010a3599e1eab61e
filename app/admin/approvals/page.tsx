import type { Metadata } from "next";
import { ApprovalQueue } from "@/components/admin/approval-queue";
import { TitledPage } from "@/components/ui/basics";

export const metadata: Metadata = { title: "Approval queue" };

export default function ApprovalsPage() {
  return (
    <TitledPage title="Approval queue">
      <ApprovalQueue />
    </TitledPage>
  );
}
