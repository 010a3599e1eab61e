"use client";
// The list of things an admin creates and edits on a page of their own (products, proxies): a
// paged table whose first column is the name, linking to /admin/{kind}/{id}; only a note while
// there are none ("No {kind} yet.").
import Link from "next/link";
import type { ReactNode } from "react";
import { Empty } from "../ui/basics";
import { usePagedList } from "../ui/load-more";
import { PagedTable } from "../ui/paged-table";

export function ManagedTable<T extends { id: string; name: string }>({ kind, headers, cells }: { kind: "products" | "proxies"; headers: string[]; cells: (item: T) => ReactNode }) {
  const list = usePagedList<T>(`/${kind}`);
  if (!list.isPending && !list.items.length) return <Empty>No {kind} yet.</Empty>;
  return (
    <PagedTable
      list={list}
      headers={headers}
      cells={(item) => (
        <>
          <td className="p-2">
            <Link href={`/admin/${kind}/${item.id}`} className="text-brand-700 hover:underline">
              {item.name}
            </Link>
          </td>
          {cells(item)}
        </>
      )}
    />
  );
}
