"use server";
// The developer's initial access token forms (create, revoke) as server actions calling the same
// lib/portal functions as /api/v1/initial-access-tokens; both work as plain form posts before
// the page's JavaScript has loaded.
import { revalidatePath } from "next/cache";
import { actingDeveloper, failedForm, text } from "@/lib/auth/form-actions";
import type { FormState } from "@/lib/auth/form-state";
import { createInitialAccessToken, revokeInitialAccessToken } from "@/lib/portal/initial-access-tokens";
import { PortalError } from "@/lib/portal/errors";
import type { ActionResult } from "@/components/ui/confirm-action";

const PAGE = "/apps/registration-tokens";

/** A created token rides in the answer only: shown once by the form, never stored readable. */
export type TokenFormState = FormState & { created?: { id: string; label: string; token: string } };

/** An optional whole number from a field: empty is absent; anything else goes to the schema as typed. */
function optionalNumber(value: string): number | string | null {
  const trimmed = value.trim();
  if (!trimmed) return null;
  return /^\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
}

export async function createRegistrationTokenAction(previous: TokenFormState, form: FormData): Promise<TokenFormState> {
  const { ctx, actor } = await actingDeveloper(PAGE);
  const values = {
    label: text(form, "label"),
    expiresInDays: text(form, "expiresInDays"),
    maxRegistrations: text(form, "maxRegistrations"),
    products: form.getAll("products").filter((p): p is string => typeof p === "string"),
  };
  const attempt = (previous.attempt ?? 0) + 1;
  try {
    const created = await createInitialAccessToken(ctx, actor, {
      label: values.label,
      expiresInDays: optionalNumber(values.expiresInDays),
      maxRegistrations: optionalNumber(values.maxRegistrations),
      products: values.products,
    });
    revalidatePath(PAGE);
    return { created: { id: created.id, label: created.label, token: created.token }, attempt };
  } catch (error) {
    return failedForm(error, values, attempt);
  }
}

export async function revokeRegistrationTokenAction(_previous: ActionResult, form: FormData): Promise<ActionResult> {
  const { ctx, actor } = await actingDeveloper(PAGE);
  try {
    await revokeInitialAccessToken(ctx, actor, text(form, "tokenId"));
  } catch (error) {
    if (error instanceof PortalError) return { ok: false, message: error.message };
    return { ok: false, message: failedForm(error).formError ?? "Something went wrong." };
  }
  revalidatePath(PAGE);
  return { ok: true, message: `Token ${text(form, "label")} revoked. Apps it registered keep working.` };
}
