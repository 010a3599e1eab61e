import type { Metadata } from "next";
import { requireViewer } from "@/lib/auth/viewer";
import { listCatalog } from "@/lib/portal/catalog";
import { NewApp } from "@/components/portal/new-app";
import { Card, TitledPage } from "@/components/ui/basics";

export const metadata: Metadata = { title: "New app" };

export default async function NewAppPage() {
  const { ctx, actor } = await requireViewer("/apps/new");
  const products = await listCatalog(ctx, actor, { limit: 100 });
  return (
    <TitledPage title="New app">
      <Card>
        <NewApp products={products.items} />
      </Card>
    </TitledPage>
  );
}
