import { ProxyTable } from "@/components/admin/proxy-admin";
import { titledPage } from "@/components/ui/titled-page";

const page = titledPage("Proxies", ProxyTable, { href: "/admin/proxies/new", label: "New proxy" });
export const metadata = page.metadata;
export default page.Page;
