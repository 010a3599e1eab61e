import type { Metadata } from "next";
import Link from "next/link";
import { currentViewer, orNotFound } from "@/lib/auth/viewer";
import { getGuide } from "@/lib/portal/guides";
import { portalContext } from "@/lib/portal/runtime";
import { Card, formatDate, PageTitle } from "@/components/ui/basics";
import { Markdown } from "@/components/ui/markdown";

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> {
  const { slug } = await params;
  const viewer = await currentViewer();
  const guide = await getGuide(viewer?.ctx ?? portalContext(), viewer?.actor ?? null, slug).catch(() => null);
  return { title: guide?.title ?? "Guide" };
}

export default async function GuidePage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const viewer = await currentViewer();
  const guide = await orNotFound(getGuide(viewer?.ctx ?? portalContext(), viewer?.actor ?? null, slug));
  return (
    <article className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        {guide.product ? (
          <Link href={`/catalog/${guide.product.slug}`} className="text-brand-700 underline">
            {guide.product.name}
          </Link>
        ) : (
          <Link href="/guides" className="text-brand-700 underline">
            Guides
          </Link>
        )}
      </nav>
      <PageTitle>{guide.title}</PageTitle>
      <Card>
        <Markdown>{guide.body || "This guide is empty."}</Markdown>
      </Card>
      <p className="text-xs text-slate-600">
        Updated {formatDate(guide.updatedAt)}
        {guide.published ? "" : " · draft: only admins see it"}
      </p>
    </article>
  );
}
