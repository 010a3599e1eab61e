import type { Metadata } from "next";
import { ApprovalQueue } from "@/components/admin/approval-queue";
import { PageTitle } from "@/components/ui/basics";

export const metadata: Metadata = { title: "Approval queue" };

export default function ApprovalsPage() {
  return (
    <>
      <PageTitle>Approval queue</PageTitle>
      <ApprovalQueue />
    </>
  );
}
