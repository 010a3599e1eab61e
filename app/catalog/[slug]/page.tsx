import type { Metadata } from "next";
import Link from "next/link";
import { currentViewer, orNotFound } from "@/lib/auth/viewer";
import { productCatalogEntry } from "@/lib/portal/catalog";
import { portalContext } from "@/lib/portal/runtime";
import { ProductFacts } from "@/components/portal/product-facts";
import { ProxyDocs } from "@/components/portal/proxy-docs";
import { buttonClass, Card, PageTitle } from "@/components/ui/basics";
import { guidesAbout } from "@/lib/portal/guides";
import { productChangelog } from "@/lib/portal/changelog";
import { ProductGuides } from "@/components/portal/product-guides";
import { ProductChangelog } from "@/components/portal/product-changelog";

export const metadata: Metadata = { title: "API product" };

export default async function ProductPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const viewer = await currentViewer();
  const entry = await orNotFound(productCatalogEntry(viewer?.ctx ?? portalContext(), viewer?.actor ?? null, slug));
  const { product, proxies } = entry;
  const ctx = viewer?.ctx ?? portalContext();
  const [guides, changelog] = await Promise.all([guidesAbout(ctx, viewer?.actor ?? null, product.id), productChangelog(ctx, viewer?.actor ?? null, product.id)]);
  return (
    <div className="space-y-6">
      <PageTitle
        actions={
          viewer ? (
            <Link href="/apps/new" className={buttonClass}>
              Use in a new app
            </Link>
          ) : (
            <Link href={`/signin?callbackUrl=${encodeURIComponent(`/catalog/${product.slug}`)}`} className={buttonClass}>
              Sign in to use it
            </Link>
          )
        }
      >
        {product.name}
      </PageTitle>
      <Card>
        <p className="mb-4 whitespace-pre-line text-slate-700">{product.description || "No description."}</p>
        <ProductFacts product={product} />
      </Card>
      <ProductGuides guides={guides} />
      {proxies.length === 0 ? (
        <Card title="APIs">
          <p className="text-sm text-slate-500">No API is published in this product yet.</p>
        </Card>
      ) : null}
      {proxies.map((proxy) => (
        <Card key={proxy.id} title={`${proxy.name} — ${proxy.gatewayPath}`}>
          <ProxyDocs spec={proxy.openApiSpec} gatewayPath={proxy.gatewayPath} />
        </Card>
      ))}
      <ProductChangelog entries={changelog} />
    </div>
  );
}
