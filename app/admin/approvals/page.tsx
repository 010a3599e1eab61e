import { ApprovalQueue } from "@/components/admin/approval-queue";
import { titledPage } from "@/components/ui/titled-page";

const page = titledPage("Approval queue", ApprovalQueue);
export const metadata = page.metadata;
export default page.Page;
