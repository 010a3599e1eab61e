import type { Metadata } from "next";
import Link from "next/link";
import { ProductTable } from "@/components/admin/product-admin";
import { buttonClass, TitledPage } from "@/components/ui/basics";

export const metadata: Metadata = { title: "Products" };

export default function ProductsPage() {
  return (
    <TitledPage
      title="Products"
      actions={
        <Link href="/admin/products/new" className={buttonClass}>
          New product
        </Link>
      }
    >
      <ProductTable />
    </TitledPage>
  );
}
