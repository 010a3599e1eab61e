import type { Metadata } from "next";
import { requireViewer } from "@/lib/auth/viewer";
import { listCatalog } from "@/lib/portal/catalog";
import { NewApp } from "@/components/portal/new-app";
import { Card, PageTitle } from "@/components/ui/basics";

export const metadata: Metadata = { title: "New app" };

export default async function NewAppPage() {
  const { ctx, actor } = await requireViewer("/apps/new");
  const products = await listCatalog(ctx, actor, { limit: 100 });
  return (
    <>
      <PageTitle>New app</PageTitle>
      <Card>
        <NewApp products={products.items} />
      </Card>
    </>
  );
}
