"use server";
// The catalog's "Add the Try-it redirect URI" button: a server action, so it is a plain form
// POST before hydration too (Next checks its Origin against the host).
import { redirect } from "next/navigation";
import { currentViewer } from "@/lib/auth/viewer";
import { getConfig } from "@/lib/config";
import { PortalError } from "@/lib/portal/errors";
import { addTryItRedirect } from "@/lib/portal/try-it";

export async function addTryItRedirectAction(formData: FormData): Promise<void> {
  const slug = String(formData.get("slug") ?? "");
  const appId = String(formData.get("appId") ?? "");
  const back = `/catalog/${encodeURIComponent(slug)}`;
  const viewer = await currentViewer();
  if (!viewer) redirect(`/signin?callbackUrl=${encodeURIComponent(back)}`);
  let outcome = "added";
  try {
    await addTryItRedirect(viewer.ctx, viewer.actor, appId, getConfig().publicUrl);
  } catch (error) {
    if (!(error instanceof PortalError)) throw error;
    outcome = error.code === "not_found" ? "not-found" : "refused";
  }
  redirect(`${back}?try-it=${outcome}#try-it`);
}
