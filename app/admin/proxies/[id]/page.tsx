import type { Metadata } from "next";
import { editorPage } from "@/components/admin/editor-page";
import { FormOutcome } from "@/components/admin/form-outcome";
import { ProxyForm } from "@/components/admin/proxy-admin";
import { UpstreamEditor } from "@/components/admin/proxy-upstream";
import { TargetHealth } from "@/components/admin/target-health";
import { Card } from "@/components/ui/basics";
import { getProxy, proxyTargetHealth } from "@/lib/portal/proxies";

export const metadata: Metadata = { title: "Proxy" };

export default editorPage("proxies", "proxy", getProxy, ProxyForm, async (proxy, { ctx, actor, search }) => {
  const health = await proxyTargetHealth(ctx, actor, proxy.id);
  return (
    <>
      <Card title="Upstream targets">
        <div className="space-y-4">
          <FormOutcome status={search.status} error={search.error} />
          <UpstreamEditor proxy={proxy} />
        </div>
      </Card>
      <Card title="Target health">
        <TargetHealth proxyId={proxy.id} initial={health.gateways} />
      </Card>
    </>
  );
});
