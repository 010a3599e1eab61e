import type { Metadata } from "next";
import { requireViewer } from "@/lib/auth/viewer";
import { listCatalog } from "@/lib/portal/catalog";
import { listMyTeams } from "@/lib/portal/teams";
import { NewApp } from "@/components/portal/new-app";
import { Card, TitledPage } from "@/components/ui/basics";

export const metadata: Metadata = { title: "New app" };

export default async function NewAppPage({ searchParams }: { searchParams: Promise<{ teamId?: string | string[] }> }) {
  const { ctx, actor } = await requireViewer("/apps/new");
  const [products, teams, { teamId }] = await Promise.all([listCatalog(ctx, actor, { limit: 100 }), listMyTeams(ctx, actor), searchParams]);
  // the teams whose apps the developer manages: the app's possible owners besides themselves
  const owners = teams.items.filter((t) => t.role !== "viewer").map((t) => ({ id: t.id, name: t.name }));
  return (
    <TitledPage title="New app">
      <Card>
        <NewApp products={products.items} teams={owners} teamId={typeof teamId === "string" ? teamId : undefined} />
      </Card>
    </TitledPage>
  );
}
