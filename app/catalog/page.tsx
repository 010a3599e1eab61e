import type { Metadata } from "next";
import { currentViewer } from "@/lib/auth/viewer";
import { listCatalog } from "@/lib/portal/catalog";
import { portalContext } from "@/lib/portal/runtime";
import { CatalogList } from "@/components/portal/catalog-list";
import { TitledPage } from "@/components/ui/basics";

export const metadata: Metadata = { title: "API catalog" };

export default async function CatalogPage({ searchParams }: { searchParams: Promise<{ cursor?: string }> }) {
  const { cursor } = await searchParams;
  const viewer = await currentViewer();
  const page = await listCatalog(viewer?.ctx ?? portalContext(), viewer?.actor ?? null, { limit: 24, cursor });
  return (
    <TitledPage title="API catalog">
      <CatalogList page={page} />
    </TitledPage>
  );
}
