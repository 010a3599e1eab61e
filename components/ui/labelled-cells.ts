// On narrow screens a table row is shown as a card (app/globals.css, .stacked-table): each cell
// then names its column through data-label. The cells come from many components as fragments
// of <td>s, so they are labelled here, once, by position.
import { Children, cloneElement, Fragment, isValidElement, type ReactElement, type ReactNode } from "react";

type Props = { children?: ReactNode; "data-label"?: string };

function flatten(node: ReactNode): ReactElement<Props>[] {
  return Children.toArray(node).flatMap((child) => {
    if (!isValidElement<Props>(child)) return [];
    return child.type === Fragment ? flatten(child.props.children) : [child];
  });
}

/** The <td>s of one row, each with `data-label` = its column's heading (unless it has one). */
export function labelCells(cells: ReactNode, headers: string[]): ReactNode {
  return flatten(cells).map((cell, i) => (cell.type === "td" && cell.props["data-label"] === undefined ? cloneElement(cell, { "data-label": headers[i] ?? "" }) : cell));
}

/** Rows (<tr>s) with their cells labelled. */
export function labelRows(rows: ReactNode, headers: string[]): ReactNode {
  return flatten(rows).map((row) => (row.type === "tr" ? cloneElement(row, {}, labelCells(row.props.children, headers)) : row));
}
