"use client";
// A paginated list (usePagedList) shown as a table: the note for an empty list, the header
// row, one row per item, and the "Load more" button under it.
import type { ReactNode } from "react";
import { Empty } from "./basics";
import { LoadMore } from "./load-more";

export function PagedTable<T>({
  list,
  empty,
  headers,
  row,
  className,
  testId,
}: {
  list: { items: T[]; isPending: boolean; hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown };
  /** Shown above the (then bodiless) table once the first page came back empty. */
  empty?: ReactNode;
  /** Column headings; "" for a column without one. */
  headers: string[];
  /** The `<tr>` of one item, with its key. */
  row: (item: T) => ReactNode;
  className: string;
  testId?: string;
}) {
  return (
    <>
      {empty && !list.isPending && !list.items.length ? <Empty>{empty}</Empty> : null}
      <table className={className} data-testid={testId}>
        <thead className="text-slate-500">
          <tr>
            {headers.map((h, i) => (
              <th key={i} className={i === 0 ? "p-2" : undefined}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{list.items.map(row)}</tbody>
      </table>
      <LoadMore list={list} />
    </>
  );
}
