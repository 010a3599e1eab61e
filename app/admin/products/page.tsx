import { ProductTable } from "@/components/admin/product-admin";
import { titledPage } from "@/components/ui/titled-page";

const page = titledPage("Products", ProductTable, { href: "/admin/products/new", label: "New product" });
export const metadata = page.metadata;
export default page.Page;
