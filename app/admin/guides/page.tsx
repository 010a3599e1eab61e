import type { Metadata } from "next";
import Link from "next/link";
import { requireAdmin } from "@/lib/auth/viewer";
import { listGuides } from "@/lib/portal/guides";
import { buttonClass, Empty, formatDate, PageTitle } from "@/components/ui/basics";
import { FormOutcome } from "@/components/admin/form-outcome";

export const metadata: Metadata = { title: "Guides" };

type Search = Promise<{ status?: string | string[]; error?: string | string[] }>;

export default async function GuidesAdminPage({ searchParams }: { searchParams: Search }) {
  const viewer = await requireAdmin("/admin/guides");
  const [{ items }, { status, error }] = await Promise.all([listGuides(viewer.ctx, viewer.actor, { limit: 100 }), searchParams]);
  return (
    <div className="space-y-6">
      <PageTitle
        actions={
          <Link href="/admin/guides/new" className={buttonClass}>
            New guide
          </Link>
        }
      >
        Guides
      </PageTitle>
      <FormOutcome status={status} error={error} />
      {items.length === 0 ? (
        <Empty>No guides yet: write the first one for developers new to your APIs.</Empty>
      ) : (
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white" data-testid="admin-guides">
          {items.map((guide) => (
            <li key={guide.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3 text-sm">
              <span className="min-w-0">
                <Link href={`/admin/guides/${guide.id}`} className="font-medium break-words text-brand-700 hover:underline">
                  {guide.title}
                </Link>
                <span className="block text-slate-600">
                  /guides/{guide.slug} · {guide.product ? guide.product.name : "whole portal"} · {guide.published ? "published" : "draft"} · updated {formatDate(guide.updatedAt)}
                </span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
