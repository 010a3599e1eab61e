import type { Metadata } from "next";
import { ApiKeys } from "@/components/admin/api-keys";
import { PageTitle } from "@/components/ui/basics";

export const metadata: Metadata = { title: "Admin API keys" };

export default function ApiKeysPage() {
  return (
    <>
      <PageTitle>Admin API keys</PageTitle>
      <p className="mb-4 text-sm text-slate-600">For the <code>gatehouse</code> CLI: <code>Authorization: Bearer &lt;key&gt;</code>. A key acts as you while you are an active admin.</p>
      <ApiKeys />
    </>
  );
}
