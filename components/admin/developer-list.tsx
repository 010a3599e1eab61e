"use client";
// Developers: search, suspend (revokes their apps' tokens), reinstate, revoke all their tokens.
import Link from "next/link";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { DeveloperView } from "@/lib/portal/views";
import { api } from "../api-client";
import { dangerButtonClass, ErrorNote, formatDate, secondaryButtonClass, StatusBadge, StatusNote } from "../ui/basics";
import { usePagedList } from "../ui/load-more";
import { PagedTable } from "../ui/paged-table";
import { SearchForm } from "../ui/search-form";

export function DeveloperList() {
  const [q, setQ] = useState("");
  const [status, setStatus] = useState("");
  const list = usePagedList<DeveloperView>("/developers", { q, status: status || undefined });
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<string | null>(null);
  const setDevStatus = useMutation({
    mutationFn: (v: { id: string; status: "active" | "suspended" }) => api<DeveloperView>(`/developers/${v.id}/status`, { method: "PUT", body: { status: v.status } }),
    onSuccess: (d) => {
      setNotice(`${d.email} is now ${d.status}.`);
      void queryClient.invalidateQueries({ queryKey: ["/developers"] });
    },
  });
  const revokeTokens = useMutation({
    mutationFn: (developerId: string) => api<{ revoked: number }>("/tokens/revoke", { method: "POST", body: { developerId } }),
    onSuccess: (r) => setNotice(`${r.revoked} token(s) revoked.`),
  });
  return (
    <div className="space-y-4">
      <SearchForm label="Search by name or email" onSearch={setQ}>
        <select aria-label="Status" className="rounded border border-slate-300 px-2 py-2 text-sm" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">any status</option>
          <option value="active">active</option>
          <option value="suspended">suspended</option>
        </select>
      </SearchForm>
      <StatusNote>{notice}</StatusNote>
      <ErrorNote error={setDevStatus.error ?? revokeTokens.error} />
      <PagedTable
        list={list}
        empty="No developers match."
        className="w-full rounded-lg bg-white text-left text-sm"
        headers={["Name", "Email", "Role", "Status", "Joined", ""]}
        cells={(d) => (
          <>
            <td className="p-2">{d.name}</td>
            <td>{d.email}</td>
            <td>{d.role}</td>
            <td>
              <StatusBadge status={d.status} />
            </td>
            <td>{formatDate(d.createdAt)}</td>
            <td className="space-x-2 text-right">
              <Link href={`/admin/apps?ownerId=${encodeURIComponent(d.id)}`} className="text-brand-700 hover:underline">
                Apps
              </Link>
              {d.status === "active" ? (
                <button type="button" className={dangerButtonClass} onClick={() => setDevStatus.mutate({ id: d.id, status: "suspended" })}>
                  Suspend
                </button>
              ) : (
                <button type="button" className={secondaryButtonClass} onClick={() => setDevStatus.mutate({ id: d.id, status: "active" })}>
                  Reinstate
                </button>
              )}
              <button type="button" className={secondaryButtonClass} onClick={() => revokeTokens.mutate(d.id)}>
                Revoke tokens
              </button>
            </td>
          </>
        )}
      />
    </div>
  );
}
