import type { Metadata } from "next";
import Link from "next/link";
import { currentViewer } from "@/lib/auth/viewer";
import { guidesAbout } from "@/lib/portal/guides";
import { portalContext } from "@/lib/portal/runtime";
import { Empty, PageTitle } from "@/components/ui/basics";
import { GuideLinks } from "@/components/portal/guide-links";

export const metadata: Metadata = { title: "Guides" };

export default async function GuidesPage() {
  const viewer = await currentViewer();
  const guides = await guidesAbout(viewer?.ctx ?? portalContext(), viewer?.actor ?? null, null);
  return (
    <div className="space-y-6">
      <PageTitle>Guides</PageTitle>
      {guides.length === 0 ? (
        <Empty>
          No guides yet. The{" "}
          <Link href="/catalog" className="text-brand-700 underline">
            catalog
          </Link>{" "}
          lists every API with its reference.
        </Empty>
      ) : (
        <GuideLinks guides={guides} />
      )}
      <p className="text-sm text-slate-600">
        Guides about one API are on its page in the{" "}
        <Link href="/catalog" className="text-brand-700 underline">
          catalog
        </Link>
        .
      </p>
    </div>
  );
}
