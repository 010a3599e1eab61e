"use client";
import Link from "next/link";
import type { Page } from "../api-client";
import type { AppView } from "@/lib/portal/views";
import { Empty, StatusBadge } from "../ui/basics";
import { LoadMore, usePagedList } from "../ui/load-more";

/** The signed-in developer's own apps and their teams' apps (admins too: `ownerId` keeps the list to theirs). */
export function AppList({ initial, ownerId }: { initial: Page<AppView>; ownerId: string }) {
  const list = usePagedList<AppView>("/apps", { ownerId }, initial);
  if (!list.items.length) return <Empty>No apps yet. Create one to get a client_id and secret.</Empty>;
  return (
    <>
      <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
        {list.items.map((app) => (
          <li key={app.id} className="flex items-center justify-between gap-4 px-5 py-4">
            <div>
              <Link href={`/apps/${app.id}`} className="font-medium text-brand-700 hover:underline">
                {app.name}
              </Link>
              <p className="text-sm text-slate-500">
                {app.description || "No description"} · {app.type}
                {app.team ? <span data-testid="app-team"> · team {app.team.name}</span> : null}
              </p>
            </div>
            <div className="flex flex-wrap gap-1">
              {app.subscriptions?.map((s) => (
                <span key={s.id} className="text-xs text-slate-600">
                  {s.product.name} <StatusBadge status={s.status} />
                </span>
              ))}
            </div>
          </li>
        ))}
      </ul>
      <LoadMore list={list} />
    </>
  );
}
