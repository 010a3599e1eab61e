import type { Metadata } from "next";
import Link from "next/link";
import { ProxyTable } from "@/components/admin/proxy-admin";
import { buttonClass, PageTitle } from "@/components/ui/basics";

export const metadata: Metadata = { title: "Proxies" };

export default function ProxiesPage() {
  return (
    <>
      <PageTitle actions={<Link href="/admin/proxies/new" className={buttonClass}>New proxy</Link>}>Proxies</PageTitle>
      <ProxyTable />
    </>
  );
}
