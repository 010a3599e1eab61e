"use client";
import Link from "next/link";
import { useState } from "react";
import type { AppView } from "@/lib/portal/views";
import type { Page } from "@/lib/portal/pagination";
import { formatDate, StatusBadge } from "../ui/basics";
import { usePagedList } from "../ui/load-more";
import { PagedTable } from "../ui/paged-table";
import { SearchForm } from "../ui/search-form";

/** Every app (optionally one developer's), searchable by name; the first page comes rendered. */
export function AdminAppList({ ownerId, initial }: { ownerId?: string; initial?: Page<AppView> }) {
  const [q, setQ] = useState("");
  const list = usePagedList<AppView>("/apps", { q, ownerId }, q ? undefined : initial);
  return (
    <div className="space-y-4">
      <SearchForm label="Search by app name" onSearch={setQ} />
      <PagedTable
        list={list}
        empty="No apps."
        headers={["App", "Owner", "Type", "Status", "Subscriptions", "Created"]}
        cells={(a) => (
          <>
            <td className="p-2">
              <Link href={`/admin/apps/${a.id}`} className="text-brand-700 hover:underline">
                {a.name}
              </Link>
            </td>
            <td>
              {a.owner ? (
                <>
                  {a.owner.name}
                  <br />
                  <span className="break-all text-slate-500">{a.owner.email}</span>
                </>
              ) : (
                <span className="font-mono">{a.ownerId}</span>
              )}
            </td>
            <td>{a.type}</td>
            <td>
              <StatusBadge status={a.status} />
            </td>
            <td>{a.subscriptions?.map((s) => `${s.product.slug}: ${s.status}`).join(", ") || "—"}</td>
            <td>{formatDate(a.createdAt)}</td>
          </>
        )}
      />
    </div>
  );
}
