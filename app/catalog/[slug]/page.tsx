import type { Metadata } from "next";
import Link from "next/link";
import { currentViewer, orNotFound } from "@/lib/auth/viewer";
import { getConfig } from "@/lib/config";
import { productCatalogEntry } from "@/lib/portal/catalog";
import { portalContext } from "@/lib/portal/runtime";
import { productScopes, tryItApps, tryItRedirectUri } from "@/lib/portal/try-it";
import { ProductFacts } from "@/components/portal/product-facts";
import { ProxyDocs } from "@/components/portal/proxy-docs";
import { TryItPanel } from "@/components/portal/try-it-panel";
import { buttonClass, Card, PageTitle } from "@/components/ui/basics";
import { CopyButton } from "@/components/ui/copy-button";
import { guidesAbout } from "@/lib/portal/guides";
import { productChangelog } from "@/lib/portal/changelog";
import { ProductGuides } from "@/components/portal/product-guides";
import { ProductChangelog } from "@/components/portal/product-changelog";

export const metadata: Metadata = { title: "API product" };

export default async function ProductPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { slug } = await params;
  const outcome = (await searchParams)["try-it"];
  const viewer = await currentViewer();
  const ctx = viewer?.ctx ?? portalContext();
  const entry = await orNotFound(productCatalogEntry(ctx, viewer?.actor ?? null, slug));
  const { product, proxies } = entry;
  const publicUrl = getConfig().publicUrl;
  const [scopes, apps, guides, changelog] = await Promise.all([
    productScopes(ctx, product.id),
    viewer ? tryItApps(ctx, viewer.actor, product.id, publicUrl) : null,
    guidesAbout(ctx, viewer?.actor ?? null, product.id),
    productChangelog(ctx, viewer?.actor ?? null, product.id),
  ]);
  const oauth = { publicUrl, scopes, clientId: apps?.find((a) => a.clientId)?.clientId ?? null, redirectUrl: tryItRedirectUri(publicUrl) };
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
      ) : (
        <TryItPanel slug={product.slug} apps={apps} redirectUri={oauth.redirectUrl} outcome={typeof outcome === "string" ? outcome : null} />
      )}
      {proxies.map((proxy) => (
        <Card key={proxy.id} title={`${proxy.name} — ${proxy.gatewayPath}`}>
          <p className="mb-3 flex flex-wrap items-center gap-2 text-sm text-slate-600">
            Base URL <code className="break-all rounded bg-slate-100 px-1 font-mono">{`${publicUrl}${proxy.gatewayPath}`}</code>
            <CopyButton value={`${publicUrl}${proxy.gatewayPath}`} label={`Copy the ${proxy.name} base URL`} testId="copy-base-url" />
          </p>
          <ProxyDocs spec={proxy.openApiSpec} gatewayPath={proxy.gatewayPath} oauth={oauth} />
        </Card>
      ))}
      <ProductChangelog entries={changelog} />
    </div>
  );
}
