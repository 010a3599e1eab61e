import Link from "next/link";
import type { Page } from "@/lib/portal/pagination";
import type { ProductView } from "@/lib/portal/views";
import { Empty } from "../ui/basics";
import { ProductFacts } from "./product-facts";

/** Server-rendered product cards; the next page is a plain link (`?cursor=`). */
export function CatalogList({ page }: { page: Page<ProductView> }) {
  if (!page.items.length) return <Empty>No API products are published yet.</Empty>;
  return (
    <>
      <div className="grid gap-6 md:grid-cols-2">
        {page.items.map((p) => (
          <article key={p.id} className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
            <h2 className="mb-1 text-lg font-semibold">
              <Link href={`/catalog/${p.slug}`} className="text-brand-700 hover:underline">
                {p.name}
              </Link>
            </h2>
            <p className="mb-3 text-sm text-slate-600">{p.description || "No description."}</p>
            <ProductFacts product={p} compact />
          </article>
        ))}
      </div>
      {page.nextCursor ? (
        <p className="mt-6 text-center">
          <Link href={`/catalog?cursor=${encodeURIComponent(page.nextCursor)}`} className="text-brand-700 underline">
            More products
          </Link>
        </p>
      ) : null}
    </>
  );
}
