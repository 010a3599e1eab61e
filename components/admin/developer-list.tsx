"use client";
// Developers: search, suspend (revokes their apps' tokens), reinstate, revoke all their tokens.
// Each change is a form posting to a server action; the destructive ones ask first.
import Link from "next/link";
import { useQueryClient } from "@tanstack/react-query";
import { useActionState, useState } from "react";
import type { DeveloperView } from "@/lib/portal/views";
import type { Page } from "@/lib/portal/pagination";
import { revokeDeveloperTokensAction, setDeveloperStatusAction } from "@/app/admin/actions";
import { formatDate, secondaryButtonClass, StatusBadge } from "../ui/basics";
import { ActionNote, ConfirmAction, useAfterResult } from "../ui/confirm-action";
import { usePagedList } from "../ui/load-more";
import { PagedTable } from "../ui/paged-table";
import { SearchForm } from "../ui/search-form";

type Filters = { q: string; status: string };

export function DeveloperList({ initial, filters }: { initial?: Page<DeveloperView>; filters: Filters }) {
  const [q, setQ] = useState(filters.q);
  const [status, setStatus] = useState(filters.status);
  const asRendered = q === filters.q && status === filters.status;
  const list = usePagedList<DeveloperView>("/developers", { q, status: status || undefined }, asRendered ? initial : undefined);
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ["/developers"] });
  return (
    <div className="space-y-4">
      <SearchForm label="Search by name or email" onSearch={setQ} initial={filters.q}>
        <select aria-label="Status" name="status" className="rounded border border-slate-300 px-2 py-2 text-sm" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">any status</option>
          <option value="active">active</option>
          <option value="suspended">suspended</option>
        </select>
      </SearchForm>
      <PagedTable
        list={list}
        empty="No developers match."
        className="w-full rounded-lg bg-white text-left text-sm"
        headers={["Name", "Email", "Role", "Status", "Joined", ""]}
        rowClassName="align-top"
        cells={(d) => (
          <>
            <td className="p-2">{d.name}</td>
            <td className="break-all">{d.email}</td>
            <td>{d.role}</td>
            <td>
              <StatusBadge status={d.status} />
            </td>
            <td>{formatDate(d.createdAt)}</td>
            <td className="space-y-2 p-2 text-right">
              <Link href={`/admin/apps?ownerId=${encodeURIComponent(d.id)}`} className="mr-2 text-brand-700 hover:underline">
                Apps
              </Link>
              {d.status === "active" ? (
                <ConfirmAction
                  action={setDeveloperStatusAction}
                  fields={{ developerId: d.id, status: "suspended" }}
                  label="Suspend…"
                  confirm="Yes, suspend"
                  consequence={`Suspend ${d.name} (${d.email})? They are signed out, cannot sign in, and every token of their apps is revoked at once.`}
                  onDone={refresh}
                />
              ) : (
                <Reinstate developer={d} onDone={refresh} />
              )}{" "}
              <ConfirmAction
                action={revokeDeveloperTokensAction}
                fields={{ developerId: d.id }}
                label="Revoke tokens…"
                confirm="Yes, revoke their tokens"
                consequence={`Revoke every token of ${d.name}'s apps? Their users must sign in again; the apps keep their credentials.`}
                onDone={refresh}
              />
            </td>
          </>
        )}
      />
    </div>
  );
}

/** Not destructive, so no question: one button posting the change. */
function Reinstate({ developer, onDone }: { developer: DeveloperView; onDone: () => void }) {
  const [result, action, pending] = useActionState(setDeveloperStatusAction, null);
  useAfterResult(result, onDone);
  return (
    <form action={action} className="inline-block">
      <input type="hidden" name="developerId" value={developer.id} />
      <input type="hidden" name="status" value="active" />
      <button type="submit" className={secondaryButtonClass} disabled={pending}>
        Reinstate
      </button>
      <ActionNote result={result} />
    </form>
  );
}
