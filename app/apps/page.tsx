import type { Metadata } from "next";
import Link from "next/link";
import { requireViewer } from "@/lib/auth/viewer";
import { listApps } from "@/lib/portal/apps";
import { AppList } from "@/components/portal/app-list";
import { buttonClass, TitledPage } from "@/components/ui/basics";

export const metadata: Metadata = { title: "My apps" };

export default async function AppsPage() {
  const { ctx, actor } = await requireViewer("/apps");
  const first = await listApps(ctx, actor, { ownerId: actor.developerId });
  return (
    <TitledPage
      title="My apps"
      actions={
        <Link href="/apps/new" className={buttonClass}>
          New app
        </Link>
      }
    >
      <AppList initial={first} ownerId={actor.developerId} />
    </TitledPage>
  );
}
