"use client";
// Create or edit an app: name, description, type (create only), redirect URIs one per line,
// products. The server validates redirect URIs (no javascript:, data:, fragments, wildcards,
// plain http off loopback); its messages appear under the field.
import { useState, type FormEvent } from "react";
import type { ProductView } from "@/lib/portal/views";
import { buttonClass, ErrorNote, FieldError, inputClass } from "../ui/basics";

export interface AppFormValues {
  name: string;
  description: string;
  type: "confidential" | "public";
  redirectUris: string[];
  products: string[];
}

export function AppForm({
  products,
  initial,
  mode,
  submitting,
  error,
  onSubmit,
}: {
  products: Pick<ProductView, "id" | "slug" | "name" | "approvalType">[];
  initial?: Partial<AppFormValues>;
  mode: "create" | "edit";
  submitting: boolean;
  error: unknown;
  onSubmit: (values: AppFormValues) => void;
}) {
  const [name, setName] = useState(initial?.name ?? "");
  const [description, setDescription] = useState(initial?.description ?? "");
  const [type, setType] = useState<AppFormValues["type"]>(initial?.type ?? "confidential");
  const [redirects, setRedirects] = useState((initial?.redirectUris ?? []).join("\n"));
  const [selected, setSelected] = useState<string[]>(initial?.products ?? []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const redirectUris = redirects
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean);
    onSubmit({ name, description, type, redirectUris, products: selected });
  };
  return (
    <form onSubmit={submit} className="space-y-4" aria-label={mode === "create" ? "New app" : "Edit app"}>
      <ErrorNote error={error} />
      <label className="block text-sm font-medium">
        Name
        <input className={inputClass} value={name} onChange={(e) => setName(e.target.value)} required maxLength={80} />
        <FieldError error={error} field="name" />
      </label>
      <label className="block text-sm font-medium">
        Description
        <textarea className={inputClass} value={description} onChange={(e) => setDescription(e.target.value)} rows={2} maxLength={1000} />
        <FieldError error={error} field="description" />
      </label>
      {mode === "create" ? (
        <fieldset className="text-sm">
          <legend className="font-medium">Client type</legend>
          <label className="mr-6 inline-flex items-center gap-2">
            <input type="radio" name="type" checked={type === "confidential"} onChange={() => setType("confidential")} /> Confidential (server-side, gets a secret)
          </label>
          <label className="inline-flex items-center gap-2">
            <input type="radio" name="type" checked={type === "public"} onChange={() => setType("public")} /> Public (SPA / native, PKCE only)
          </label>
        </fieldset>
      ) : null}
      <label className="block text-sm font-medium">
        Redirect URIs (one per line)
        <textarea className={`${inputClass} font-mono`} value={redirects} onChange={(e) => setRedirects(e.target.value)} rows={3} placeholder="https://app.example.com/callback" />
        <FieldError error={error} field="redirectUris" />
      </label>
      <fieldset className="text-sm">
        <legend className="font-medium">API products</legend>
        {products.length === 0 ? <p className="text-slate-500">No products are published yet.</p> : null}
        {products.map((p) => (
          <label key={p.id} className="mt-1 flex items-center gap-2">
            <input
              type="checkbox"
              checked={selected.includes(p.slug) || selected.includes(p.id)}
              onChange={(e) => setSelected(e.target.checked ? [...selected, p.slug] : selected.filter((s) => s !== p.slug && s !== p.id))}
            />
            {p.name} <span className="text-xs text-slate-500">({p.approvalType === "manual" ? "needs approval" : "approved at once"})</span>
          </label>
        ))}
        <FieldError error={error} field="products" />
      </fieldset>
      <button type="submit" className={buttonClass} disabled={submitting}>
        {mode === "create" ? "Create app" : "Save changes"}
      </button>
    </form>
  );
}
