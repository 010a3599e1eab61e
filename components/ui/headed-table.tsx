// Tables with a header row: the <thead> every table here shares, and a small table that is not
// paginated (an app's credentials, its subscriptions). Below 1024px each row is a card.
import type { ReactNode } from "react";
import { labelRows } from "./labelled-cells";

/** Column headings ("" for a column without one); the first carries the row's left padding. */
export function TableHead({ headers, firstClassName }: { headers: string[]; firstClassName: string }) {
  return (
    <thead className="text-slate-600">
      <tr>
        {headers.map((h, i) => (
          <th key={i} className={i === 0 ? firstClassName : undefined}>
            {h}
          </th>
        ))}
      </tr>
    </thead>
  );
}

export function HeadedTable({ headers, children }: { headers: string[]; children: ReactNode }) {
  return (
    <table className="stacked-table w-full text-left text-sm">
      <TableHead headers={headers} firstClassName="py-1" />
      <tbody>{labelRows(children, headers)}</tbody>
    </table>
  );
}
