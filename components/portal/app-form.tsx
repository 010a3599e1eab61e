"use client";
// Create or edit an app: name, description, type (create only), redirect URIs one per line,
// products. The form posts to a server action (so it works before JavaScript loads); the server
// validates redirect URIs (no javascript:, data:, fragments, wildcards, plain http off loopback)
// and a refused form comes back with its messages under the fields and what was typed kept.
import { useActionState } from "react";
import type { FormState } from "@/lib/auth/form-state";
import { fieldError, keptValue, keptValues } from "@/lib/auth/form-state";
import type { ProductView } from "@/lib/portal/views";
import { buttonClass, inputClass } from "../ui/basics";
import { useCachesStaleOnSubmit } from "../ui/action-form";
import { FormAlert, FormField } from "../ui/form-fields";
import { ProductChoices } from "./product-choices";

export interface AppFormValues {
  name: string;
  description: string;
  type: "confidential" | "public";
  redirectUris: string[];
  products: string[];
  teamId: string;
}

export function AppForm({
  products,
  initial,
  mode,
  action,
  permalink,
  teams = [],
}: {
  products: Pick<ProductView, "id" | "slug" | "name" | "approvalType">[];
  /** Teams the developer may create apps for (owner or admin); offered as the app's owner. */
  teams?: { id: string; name: string }[];
  initial?: Partial<AppFormValues>;
  mode: "create" | "edit";
  action: (previous: FormState, form: FormData) => Promise<FormState>;
  /** The page this form is on, where a post made before JavaScript loads shows its answer. */
  permalink: string;
}) {
  const [state, formAction, pending] = useActionState(action, {}, permalink);
  const type = keptValue(state, "type", initial?.type ?? "confidential");
  const selected = keptValues(state, "products", initial?.products ?? []);
  const productsError = fieldError(state, "products");
  const stale = useCachesStaleOnSubmit();
  return (
    <form action={formAction} onSubmit={stale} className="space-y-4" aria-label={mode === "create" ? "New app" : "Edit app"}>
      <FormAlert message={state.formError} />
      <FormField label="Name" name="name" error={fieldError(state, "name")}>
        {(props) => <input {...props} className={inputClass} defaultValue={keptValue(state, "name", initial?.name ?? "")} required maxLength={80} />}
      </FormField>
      <FormField label="Description" name="description" error={fieldError(state, "description")}>
        {(props) => <textarea {...props} className={inputClass} defaultValue={keptValue(state, "description", initial?.description ?? "")} rows={2} maxLength={1000} />}
      </FormField>
      {mode === "create" && teams.length > 0 ? (
        <FormField label="Owner" name="teamId" error={fieldError(state, "teamId")}>
          {(props) => (
            <select {...props} className={inputClass} defaultValue={keptValue(state, "teamId", initial?.teamId ?? "")}>
              <option value="">Me</option>
              {teams.map((t) => (
                <option key={t.id} value={t.id}>
                  Team {t.name}
                </option>
              ))}
            </select>
          )}
        </FormField>
      ) : null}
      {mode === "create" ? (
        <fieldset className="text-sm">
          <legend className="font-medium">Client type</legend>
          <label className="mr-6 inline-flex items-center gap-2">
            <input type="radio" name="type" value="confidential" defaultChecked={type === "confidential"} /> Confidential (server-side, gets a secret)
          </label>
          <label className="inline-flex items-center gap-2">
            <input type="radio" name="type" value="public" defaultChecked={type === "public"} /> Public (SPA / native, PKCE only)
          </label>
        </fieldset>
      ) : null}
      <FormField label="Redirect URIs (one per line)" name="redirectUris" error={fieldError(state, "redirectUris")}>
        {(props) => (
          <textarea
            {...props}
            className={`${inputClass} font-mono`}
            defaultValue={keptValue(state, "redirectUris", (initial?.redirectUris ?? []).join("\n"))}
            rows={3}
            placeholder="https://app.example.com/callback"
          />
        )}
      </FormField>
      <ProductChoices legend="API products" products={products} isChecked={(p) => selected.includes(p.slug) || selected.includes(p.id)} error={productsError} />
      <button type="submit" className={buttonClass} disabled={pending}>
        {mode === "create" ? "Create app" : "Save changes"}
      </button>
    </form>
  );
}
