import type { Metadata } from "next";
import Link from "next/link";
import { requireViewer } from "@/lib/auth/viewer";
import { listMyTeams } from "@/lib/portal/teams";
import { FormOutcome } from "@/components/admin/form-outcome";
import { buttonClass, Card, Empty, inputClass, TitledPage } from "@/components/ui/basics";

export const metadata: Metadata = { title: "Teams" };

/** The signed-in developer's teams, and a form to create one. */
export default async function TeamsPage({ searchParams }: { searchParams: Promise<{ status?: string | string[]; error?: string | string[] }> }) {
  const { ctx, actor } = await requireViewer("/teams");
  const [{ items }, { status, error }] = await Promise.all([listMyTeams(ctx, actor), searchParams]);
  return (
    <TitledPage title="Teams">
      <div className="space-y-6">
        <p className="max-w-3xl text-sm text-slate-600">
          A team owns apps together. Owners and admins manage the team&apos;s apps and members; viewers see the apps and their usage. An app moved to or from a team keeps its
          credentials.
        </p>
        <FormOutcome status={status} error={error} />
        {items.length === 0 ? (
          <Empty>You are not in any team yet.</Empty>
        ) : (
          <ul className="space-y-3" data-testid="teams">
            {items.map((team) => (
              <li key={team.id} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
                <Link href={`/teams/${team.id}`} className="font-medium break-words text-brand-700 underline">
                  {team.name}
                </Link>
                <p className="mt-1 text-sm text-slate-600">
                  Your role: {team.role} · {team.memberCount} {team.memberCount === 1 ? "member" : "members"} · {team.appCount} {team.appCount === 1 ? "app" : "apps"}
                </p>
              </li>
            ))}
          </ul>
        )}
        <Card title="Create a team">
          <form method="post" action="/teams/create" className="flex flex-col gap-3 sm:flex-row sm:items-end">
            <label className="block flex-1 text-sm font-medium">
              Team name
              <input name="name" required maxLength={80} className={inputClass} />
            </label>
            <button type="submit" className={buttonClass}>
              Create team
            </button>
          </form>
        </Card>
      </div>
    </TitledPage>
  );
}
