import type { Metadata } from "next";
import { DeveloperList } from "@/components/admin/developer-list";
import { TitledPage } from "@/components/ui/basics";
import { requireAdmin } from "@/lib/auth/viewer";
import { listDevelopers } from "@/lib/portal/developers";

export const metadata: Metadata = { title: "Developers" };

/** The first page comes rendered (so the actions work before JavaScript), searched by `?q=` and `?status=`. */
export default async function DevelopersPage({ searchParams }: { searchParams: Promise<{ q?: string; status?: string }> }) {
  const { q, status } = await searchParams;
  const filters = { q: typeof q === "string" ? q : "", status: status === "active" || status === "suspended" ? status : "" };
  const { ctx, actor } = await requireAdmin("/admin/developers");
  const first = await listDevelopers(ctx, actor, { q: filters.q || undefined, status: filters.status || undefined });
  return (
    <TitledPage title="Developers">
      <DeveloperList initial={first} filters={filters} />
    </TitledPage>
  );
}
