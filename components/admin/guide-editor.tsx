"use client";
// The guide editor: a native form (it posts before JavaScript loads, see app/admin/guides/*/route.ts)
// with a preview of the Markdown that follows the text once the page is interactive.
import { useState } from "react";
import type { GuideView } from "@/lib/portal/guides";
import { buttonClass, inputClass, Options } from "../ui/basics";
import { Markdown } from "../ui/markdown";

export function GuideEditor({ guide, products }: { guide?: GuideView; products: { id: string; name: string }[] }) {
  const [body, setBody] = useState(guide?.body ?? "");
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <form method="post" action={guide ? `/admin/guides/${guide.id}/save` : "/admin/guides/create"} className="space-y-4" aria-label="Guide">
        <label className="block text-sm font-medium">
          Title
          <input name="title" required maxLength={120} defaultValue={guide?.title} className={inputClass} />
        </label>
        <label className="block text-sm font-medium">
          Address (/guides/…): lower-case letters, digits and dashes
          <input name="slug" required maxLength={80} pattern="[a-z0-9][a-z0-9\-]*" defaultValue={guide?.slug} className={`${inputClass} font-mono`} />
        </label>
        <label className="block text-sm font-medium">
          About
          <select name="productId" defaultValue={guide?.productId ?? ""} className={inputClass}>
            <Options options={[["", "The whole portal"], ...products.map((p) => [p.id, p.name] as const)]} />
          </select>
        </label>
        <label className="block text-sm font-medium">
          Position (lower comes first)
          <input name="position" type="number" min={0} max={10000} defaultValue={guide?.position ?? 0} className={inputClass} />
        </label>
        <label className="flex items-center gap-2 text-sm font-medium">
          <input name="published" type="checkbox" defaultChecked={guide?.published ?? true} />
          Published (unticked: a draft only admins see)
        </label>
        <label className="block text-sm font-medium">
          Text (Markdown; HTML is not rendered)
          <textarea name="body" rows={18} maxLength={100_000} value={body} onChange={(e) => setBody(e.target.value)} className={`${inputClass} font-mono`} />
        </label>
        <button type="submit" className={buttonClass}>
          {guide ? "Save guide" : "Create guide"}
        </button>
      </form>
      <section aria-label="Preview" className="min-w-0 rounded-lg border border-slate-200 bg-white p-5">
        <h2 className="mb-2 text-sm font-semibold uppercase text-slate-600">Preview</h2>
        {body.trim() ? <Markdown>{body}</Markdown> : <p className="text-sm text-slate-600">Nothing written yet.</p>}
      </section>
    </div>
  );
}
