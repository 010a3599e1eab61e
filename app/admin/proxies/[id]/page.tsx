import type { Metadata } from "next";
import { editorPage } from "@/components/admin/editor-page";
import { ProxyForm } from "@/components/admin/proxy-admin";
import { getProxy } from "@/lib/portal/proxies";

export const metadata: Metadata = { title: "Proxy" };

export default editorPage("proxies", "proxy", getProxy, ProxyForm);
