import { AuditLog } from "@/components/admin/audit-log";
import { titledPage } from "@/components/ui/titled-page";

const page = titledPage("Audit log", AuditLog);
export const metadata = page.metadata;
export default page.Page;
