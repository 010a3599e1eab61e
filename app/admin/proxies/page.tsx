import type { Metadata } from "next";
import Link from "next/link";
import { ProxyTable } from "@/components/admin/proxy-admin";
import { buttonClass, TitledPage } from "@/components/ui/basics";

export const metadata: Metadata = { title: "Proxies" };

export default function ProxiesPage() {
  return (
    <TitledPage
      title="Proxies"
      actions={
        <Link href="/admin/proxies/new" className={buttonClass}>
          New proxy
        </Link>
      }
    >
      <ProxyTable />
    </TitledPage>
  );
}
