import type { Metadata } from "next";
import { requireAdmin } from "@/lib/auth/viewer";
import { listProducts } from "@/lib/portal/products";
import { PageTitle } from "@/components/ui/basics";
import { FormOutcome } from "@/components/admin/form-outcome";
import { GuideEditor } from "@/components/admin/guide-editor";

export const metadata: Metadata = { title: "New guide" };

export default async function NewGuidePage({ searchParams }: { searchParams: Promise<{ error?: string | string[] }> }) {
  const viewer = await requireAdmin("/admin/guides/new");
  const [{ items }, { error }] = await Promise.all([listProducts(viewer.ctx, viewer.actor, { limit: 100 }), searchParams]);
  return (
    <div className="space-y-6">
      <PageTitle>New guide</PageTitle>
      <FormOutcome error={error} />
      <GuideEditor products={items.map((p) => ({ id: p.id, name: p.name }))} />
    </div>
  );
}
