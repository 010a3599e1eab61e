// Server actions behind the portal's forms: the same lib/portal calls the /api/v1 routes make,
// for a signed-in developer, with failures turned into a FormState the form shows in place.
// Forms posted before the page's JavaScript loads arrive here as ordinary POSTs (Next checks
// their Origin), so every form works with or without JavaScript.
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getLogger } from "../log/index.ts";
import { isDatabaseUnavailable } from "../db/unavailable.ts";
import type { Actor, PortalContext } from "../portal/context.ts";
import { PortalError } from "../portal/errors.ts";
import type { FormState } from "./form-state.ts";
import { currentViewer } from "./viewer.ts";

const UNAVAILABLE = "The service is briefly unavailable; nothing was changed. Please try again in a moment.";

/** The signed-in developer acting (with address and request id for the audit log), or off to sign-in. */
export async function actingDeveloper(returnTo: string): Promise<{ ctx: PortalContext; actor: Actor & { type: "developer" } }> {
  const viewer = await currentViewer();
  if (!viewer) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  const h = await headers();
  return { ctx: viewer.ctx, actor: { ...viewer.actor, ip: h.get("x-gatehouse-client-ip") || undefined, requestId: h.get("x-request-id") || undefined } };
}

/** The client's address as server.ts set it (an inbound header of that name never survives). */
export async function clientAddress(): Promise<string> {
  return (await headers()).get("x-gatehouse-client-ip") || "unknown";
}

/** A refused or failed change as the form shows it; `values` go back into the fields. */
export function failedForm(error: unknown, values: FormState["values"] = {}, attempt = 0): FormState {
  if (error instanceof PortalError) {
    if (error.code === "invalid" && error.details?.fields) {
      const fieldErrors: Record<string, string> = {};
      for (const [key, message] of Object.entries(error.details.fields)) fieldErrors[key.split(".")[0]!] ??= message;
      return { fieldErrors, formError: error.message, values, attempt };
    }
    return { formError: error.message, values, attempt };
  }
  if (isDatabaseUnavailable(error)) return { formError: UNAVAILABLE, values, attempt };
  getLogger().error({ err: error }, "portal form action failed");
  return { formError: "Something went wrong and nothing was changed. Please try again.", values, attempt };
}

export function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

export function lines(value: string): string[] {
  return value
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}
