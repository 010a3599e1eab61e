// Cursor pagination for every list: newest first, `limit` 1–100, `cursor` = last id seen.
import { z } from "zod";

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(100).optional(),
});
export type PageQuery = z.infer<typeof PageQuery>;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Prisma arguments for one page (one extra row tells whether there is a next page). */
export function pageArgs(page: PageQuery) {
  return {
    take: page.limit + 1,
    ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
    orderBy: [{ createdAt: "desc" as const }, { id: "desc" as const }],
  };
}

export function toPage<Row extends { id: string }, T>(rows: Row[], page: PageQuery, view: (row: Row) => T): Page<T> {
  const more = rows.length > page.limit;
  const items = more ? rows.slice(0, page.limit) : rows;
  return { items: items.map(view), nextCursor: more ? items.at(-1)!.id : null };
}
