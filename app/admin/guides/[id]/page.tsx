import type { Metadata } from "next";
import Link from "next/link";
import { orNotFound, requireAdmin } from "@/lib/auth/viewer";
import { getGuide } from "@/lib/portal/guides";
import { listProducts } from "@/lib/portal/products";
import { dangerButtonClass, PageTitle, secondaryButtonClass } from "@/components/ui/basics";
import { FormOutcome } from "@/components/admin/form-outcome";
import { GuideEditor } from "@/components/admin/guide-editor";

export const metadata: Metadata = { title: "Edit guide" };

type Search = Promise<{ status?: string | string[]; error?: string | string[] }>;

export default async function EditGuidePage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Search }) {
  const { id } = await params;
  const viewer = await requireAdmin(`/admin/guides/${id}`);
  const [guide, { items }, { status, error }] = await Promise.all([
    orNotFound(getGuide(viewer.ctx, viewer.actor, id)),
    listProducts(viewer.ctx, viewer.actor, { limit: 100 }),
    searchParams,
  ]);
  return (
    <div className="space-y-6">
      <PageTitle
        actions={
          <Link href={`/guides/${guide.slug}`} className={secondaryButtonClass}>
            View
          </Link>
        }
      >
        {guide.title}
      </PageTitle>
      <FormOutcome status={status} error={error} />
      <GuideEditor guide={guide} products={items.map((p) => ({ id: p.id, name: p.name }))} />
      <form method="post" action={`/admin/guides/${guide.id}/delete`} aria-label="Delete guide">
        <button type="submit" className={dangerButtonClass}>
          Delete guide
        </button>
      </form>
    </div>
  );
}
