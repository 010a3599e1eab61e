import type { Metadata } from "next";
import { ApiKeys } from "@/components/admin/api-keys";
import { TitledPage } from "@/components/ui/basics";
import { requireAdmin } from "@/lib/auth/viewer";
import { listAdminApiKeys } from "@/lib/portal/admin-api-keys";

export const metadata: Metadata = { title: "Admin API keys" };

export default async function ApiKeysPage() {
  const { ctx, actor } = await requireAdmin("/admin/api-keys");
  const items = await listAdminApiKeys(ctx, actor);
  return (
    <TitledPage title="Admin API keys">
      <p className="mb-4 text-sm text-slate-600">
        For the <code>gatehouse</code> CLI: <code>Authorization: Bearer &lt;key&gt;</code>. A key acts as you while you are an active admin.
      </p>
      <ApiKeys initial={{ items, nextCursor: null }} />
    </TitledPage>
  );
}
