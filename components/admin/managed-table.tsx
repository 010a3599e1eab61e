"use client";
// The list of things an admin creates and edits on a page of their own (products, proxies): a
// paged table whose first column is the name, linking to /admin/{kind}/{id}; only a note while
// there are none.
import Link from "next/link";
import type { ReactNode } from "react";
import { Empty } from "../ui/basics";
import { usePagedList } from "../ui/load-more";
import { PagedTable } from "../ui/paged-table";

export function ManagedTable<T extends { id: string; name: string }>({
  kind,
  empty,
  headers,
  cells,
}: {
  kind: "products" | "proxies";
  empty: string;
  headers: string[];
  cells: (item: T) => ReactNode;
}) {
  const list = usePagedList<T>(`/${kind}`);
  if (!list.isPending && !list.items.length) return <Empty>{empty}</Empty>;
  return (
    <PagedTable
      list={list}
      className="w-full bg-white text-left text-sm"
      headers={headers}
      row={(item) => (
        <tr key={item.id} className="border-t border-slate-100">
          <td className="p-2">
            <Link href={`/admin/${kind}/${item.id}`} className="text-brand-700 hover:underline">
              {item.name}
            </Link>
          </td>
          {cells(item)}
        </tr>
      )}
    />
  );
}
