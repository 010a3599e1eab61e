// Who is looking at a page: the signed-in developer's actor and profile, or null. Pages call
// this instead of reading the session themselves; the profile comes from lib/portal.
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import type { Actor, PortalContext } from "../portal/context.ts";
import { getDeveloper } from "../portal/developers.ts";
import { PortalError } from "../portal/errors.ts";
import { portalContext } from "../portal/runtime.ts";
import type { DeveloperView } from "../portal/views.ts";
import { sessionActor } from "./actor.ts";

export interface Viewer {
  ctx: PortalContext;
  actor: Actor & { type: "developer" };
  developer: DeveloperView;
  admin: boolean;
}

/** Once per request (the header and the page both ask). */
export const currentViewer = cache(async (): Promise<Viewer | null> => {
  const ctx = portalContext();
  const actor = await sessionActor(ctx);
  if (!actor) return null;
  const developer = await getDeveloper(ctx, actor, actor.developerId);
  return { ctx, actor, developer, admin: actor.role === "admin" };
});

/** For pages that need a signed-in developer: otherwise off to sign-in, coming back here. */
export async function requireViewer(returnTo: string): Promise<Viewer> {
  const viewer = await currentViewer();
  if (!viewer) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return viewer;
}

/** A page's lookup of the one thing it shows: not found (or not the viewer's to see) is the
 * not-found page; any other failure goes on to the error page. */
export async function orNotFound<T>(lookup: Promise<T>): Promise<T> {
  try {
    return await lookup;
  } catch (error) {
    if (error instanceof PortalError && error.code === "not_found") notFound();
    throw error;
  }
}

/** Admin pages: anyone else gets the not-found page (the API refuses them anyway). */
export async function requireAdmin(returnTo: string): Promise<Viewer> {
  const viewer = await requireViewer(returnTo);
  if (!viewer.admin) notFound();
  return viewer;
}
