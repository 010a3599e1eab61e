import { DeveloperList } from "@/components/admin/developer-list";
import { titledPage } from "@/components/ui/titled-page";

const page = titledPage("Developers", DeveloperList);
export const metadata = page.metadata;
export default page.Page;
