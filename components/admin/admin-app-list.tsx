"use client";
import Link from "next/link";
import { useState } from "react";
import type { AppView } from "@/lib/portal/views";
import type { Page } from "@/lib/portal/pagination";
import { formatDate, inputClass, secondaryButtonClass, StatusBadge } from "../ui/basics";
import { usePagedList } from "../ui/load-more";
import { PagedTable } from "../ui/paged-table";

/** Every app (optionally one developer's), searchable by name; the first page comes rendered. */
export function AdminAppList({ ownerId, initial }: { ownerId?: string; initial?: Page<AppView> }) {
  const [search, setSearch] = useState("");
  const [q, setQ] = useState("");
  const list = usePagedList<AppView>("/apps", { q, ownerId }, q ? undefined : initial);
  return (
    <div className="space-y-4">
      <form
        className="flex items-end gap-2"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQ(search);
        }}
      >
        <label className="flex-1 text-sm">
          Search by app name
          <input className={inputClass} value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
        <button type="submit" className={secondaryButtonClass}>
          Search
        </button>
      </form>
      <PagedTable
        list={list}
        empty="No apps."
        className="w-full bg-white text-left text-sm"
        headers={["App", "Owner", "Type", "Status", "Subscriptions", "Created"]}
        row={(a) => (
          <tr key={a.id} className="border-t border-slate-100">
            <td className="p-2">
              <Link href={`/admin/apps/${a.id}`} className="text-brand-700 hover:underline">
                {a.name}
              </Link>
            </td>
            <td>{a.owner?.email ?? a.ownerId}</td>
            <td>{a.type}</td>
            <td>
              <StatusBadge status={a.status} />
            </td>
            <td>{a.subscriptions?.map((s) => `${s.product.slug}: ${s.status}`).join(", ") || "—"}</td>
            <td>{formatDate(a.createdAt)}</td>
          </tr>
        )}
      />
    </div>
  );
}
