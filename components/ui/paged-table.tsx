"use client";
// A paginated list (usePagedList) shown as a table: the note for an empty list, the header
// row, one row per item (a card below 1024px), and the "Load more" button under it.
import type { ReactNode } from "react";
import { Empty } from "./basics";
import { TableHead } from "./headed-table";
import { labelCells } from "./labelled-cells";
import { LoadMore } from "./load-more";

export function PagedTable<T extends { id: string }>({
  list,
  empty,
  headers,
  cells,
  className = "w-full bg-white text-left text-sm",
  rowClassName,
  testId,
  rowTestId,
}: {
  list: { items: T[]; isPending: boolean; hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown };
  /** Shown above the (then bodiless) table once the first page came back empty. */
  empty?: ReactNode;
  /** Column headings; "" for a column without one. */
  headers: string[];
  /** The `<td>`s of one item's row. */
  cells: (item: T) => ReactNode;
  className?: string;
  /** Added to every row's own classes. */
  rowClassName?: string;
  testId?: string;
  rowTestId?: string;
}) {
  return (
    <>
      {empty && !list.isPending && !list.items.length ? <Empty>{empty}</Empty> : null}
      <table className={`stacked-table ${className}`} data-testid={testId}>
        <TableHead headers={headers} firstClassName="p-2" />
        <tbody>
          {list.items.map((item) => (
            <tr key={item.id} className={rowClassName ? `border-t border-slate-100 ${rowClassName}` : "border-t border-slate-100"} data-testid={rowTestId}>
              {labelCells(cells(item), headers)}
            </tr>
          ))}
        </tbody>
      </table>
      <LoadMore list={list} />
    </>
  );
}
