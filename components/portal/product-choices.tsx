// The API products a form asks for, as checkboxes (native: they post without JavaScript), each
// saying whether it is approved at once or needs an admin.
import type { ProductView } from "@/lib/portal/views";

type ProductChoice = Pick<ProductView, "id" | "slug" | "name" | "approvalType">;

export function ProductChoices({
  legend,
  products,
  isChecked,
  error,
}: {
  legend: string;
  products: ProductChoice[];
  isChecked: (product: ProductChoice) => boolean;
  error?: string;
}) {
  return (
    <fieldset className="text-sm" aria-describedby={error ? "products-error" : undefined}>
      <legend className="font-medium">{legend}</legend>
      {products.length === 0 ? <p className="text-slate-500">No products are published yet.</p> : null}
      {products.map((p) => (
        <label key={p.id} className="mt-1 flex items-center gap-2">
          <input type="checkbox" name="products" value={p.slug} defaultChecked={isChecked(p)} />
          {p.name} <span className="text-xs text-slate-500">({p.approvalType === "manual" ? "needs approval" : "approved at once"})</span>
        </label>
      ))}
      {error ? (
        <p id="products-error" className="mt-1 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
