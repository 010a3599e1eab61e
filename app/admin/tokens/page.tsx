import { TokenRevocation } from "@/components/admin/token-revocation";
import { titledPage } from "@/components/ui/titled-page";

const page = titledPage("Revoke tokens", TokenRevocation);
export const metadata = page.metadata;
export default page.Page;
