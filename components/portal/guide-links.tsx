import Link from "next/link";
import type { GuideView } from "@/lib/portal/guides";

/** A list of guides linking to each; drafts (only admins see them) say so. */
export function GuideLinks({ guides }: { guides: GuideView[] }) {
  return (
    <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white" data-testid="guide-list">
      {guides.map((guide) => (
        <li key={guide.id} className="flex flex-wrap items-center gap-2 px-4 py-3">
          <Link href={`/guides/${guide.slug}`} className="font-medium break-words text-brand-700 hover:underline">
            {guide.title}
          </Link>
          {guide.published ? null : <span className="rounded bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-800">draft</span>}
        </li>
      ))}
    </ul>
  );
}
