import type { Metadata } from "next";
import { requireViewer } from "@/lib/auth/viewer";
import { listApps } from "@/lib/portal/apps";
import { AppList } from "@/components/portal/app-list";
import Link from "next/link";
import { secondaryButtonClass, TitledPage } from "@/components/ui/basics";
import { NewLink } from "@/components/ui/titled-page";

export const metadata: Metadata = { title: "My apps" };

export default async function AppsPage() {
  const { ctx, actor } = await requireViewer("/apps");
  const first = await listApps(ctx, actor, { ownerId: actor.developerId });
  return (
    <TitledPage
      title="My apps"
      actions={
        <>
          <Link href="/apps/registration-tokens" className={secondaryButtonClass}>
            Registration tokens
          </Link>
          <NewLink href="/apps/new">New app</NewLink>
        </>
      }
    >
      <AppList initial={first} ownerId={actor.developerId} />
    </TitledPage>
  );
}
