// Cursor pagination for every list: newest first, `limit` 1–100, `cursor` = last id seen.
import { z } from "zod";
import { isAdmin, type Actor } from "./context.ts";
import { forbidden } from "./errors.ts";
import { parseInput } from "./validation.ts";

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

/** A page of what only admins may list: `query` parsed with `schema` (PageQuery extended), the
 * rows `read` for it, each shown as `view`. */
export async function adminPage<S extends z.ZodType<PageQuery>, Row extends { id: string }, T>(
  actor: Actor,
  query: unknown,
  schema: S,
  read: (q: z.infer<S>) => Promise<Row[]>,
  view: (row: Row) => T,
): Promise<Page<T>> {
  if (!isAdmin(actor)) throw forbidden();
  const q = parseInput(schema, query);
  return toPage(await read(q), q, view);
}
