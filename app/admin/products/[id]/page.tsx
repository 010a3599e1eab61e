import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requireAdmin } from "@/lib/auth/viewer";
import { PortalError } from "@/lib/portal/errors";
import { getProduct } from "@/lib/portal/products";
import { ProductForm } from "@/components/admin/product-admin";
import { Card, PageTitle } from "@/components/ui/basics";

export const metadata: Metadata = { title: "Product" };

/** `/admin/products/new` creates; any other id edits that product. */
export default async function ProductEditPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { ctx, actor } = await requireAdmin(`/admin/products/${id}`);
  const product = id === "new" ? undefined : await getProduct(ctx, actor, id).catch((error: unknown) => {
    if (error instanceof PortalError && error.code === "not_found") notFound();
    throw error;
  });
  return (
    <>
      <PageTitle>{product ? `Edit ${product.name}` : "New product"}</PageTitle>
      <Card><ProductForm initial={product} /></Card>
    </>
  );
}
