import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requireAdmin } from "@/lib/auth/viewer";
import { PortalError } from "@/lib/portal/errors";
import { getProxy } from "@/lib/portal/proxies";
import { ProxyForm } from "@/components/admin/proxy-admin";
import { Card, PageTitle } from "@/components/ui/basics";

export const metadata: Metadata = { title: "Proxy" };

/** `/admin/proxies/new` creates; any other id edits that proxy. */
export default async function ProxyEditPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { ctx, actor } = await requireAdmin(`/admin/proxies/${id}`);
  const proxy = id === "new" ? undefined : await getProxy(ctx, actor, id).catch((error: unknown) => {
    if (error instanceof PortalError && error.code === "not_found") notFound();
    throw error;
  });
  return (
    <>
      <PageTitle>{proxy ? `Edit ${proxy.name}` : "New proxy"}</PageTitle>
      <Card><ProxyForm initial={proxy} /></Card>
    </>
  );
}
