// The signed-in developer's in-portal notification list: read, and mark read (some or all).
import { z } from "zod";
import type { Actor, PortalContext } from "./context.ts";
import { PortalError } from "./errors.ts";
import { pageArgs, PageQuery, toPage, type Page } from "./pagination.ts";
import { parseInput } from "./validation.ts";

export interface NotificationView {
  id: string;
  type: string;
  title: string;
  body: string;
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

function developerOf(actor: Actor): string {
  if (actor.type !== "developer") throw new PortalError("forbidden", "Only a signed-in developer has notifications.");
  return actor.developerId;
}

const ListQuery = PageQuery.extend({ unread: z.enum(["true", "false"]).optional() });

export async function listNotifications(ctx: PortalContext, actor: Actor, query: unknown): Promise<Page<NotificationView> & { unread: number }> {
  const developerId = developerOf(actor);
  const q = parseInput(ListQuery, query ?? {});
  const rows = await ctx.db.notification.findMany({ where: { developerId, ...(q.unread === "true" ? { readAt: null } : {}) }, ...pageArgs(q) });
  const unread = await ctx.db.notification.count({ where: { developerId, readAt: null } });
  return {
    ...toPage(rows, q, (n) => ({
      id: n.id,
      type: n.type,
      title: n.title,
      body: n.body,
      link: n.link,
      createdAt: n.createdAt.toISOString(),
      readAt: n.readAt?.toISOString() ?? null,
    })),
    unread,
  };
}

export async function unreadNotificationCount(ctx: PortalContext, actor: Actor): Promise<number> {
  if (actor.type !== "developer") return 0;
  return ctx.db.notification.count({ where: { developerId: actor.developerId, readAt: null } });
}

export const MarkNotificationsInput = z.union([z.object({ ids: z.array(z.string().max(100)).min(1).max(100) }).strict(), z.object({ all: z.literal(true) }).strict()]);

/** Marks the given notifications (only the actor's own; others' ids change nothing) or all of them read. */
export async function markNotificationsRead(ctx: PortalContext, actor: Actor, input: unknown): Promise<{ marked: number; unread: number }> {
  const developerId = developerOf(actor);
  const data = parseInput(MarkNotificationsInput, input);
  const now = ctx.now?.() ?? new Date();
  const { count } = await ctx.db.notification.updateMany({ where: { developerId, readAt: null, ...("ids" in data ? { id: { in: data.ids } } : {}) }, data: { readAt: now } });
  return { marked: count, unread: await unreadNotificationCount(ctx, actor) };
}
