import type { Metadata } from "next";
import type { CSSProperties, ReactNode } from "react";
import Link from "next/link";
import { Providers } from "@/components/providers";
import { SiteHeader } from "@/components/site-header";
import { currentBranding } from "@/components/portal/current-branding";
import { brandPalette } from "@/lib/portal/brand-palette";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  const branding = await currentBranding();
  const version = branding.updatedAt ? `?v=${new Date(branding.updatedAt).getTime()}` : "";
  return {
    title: { default: `${branding.organisation} developer portal`, template: `%s · ${branding.organisation}` },
    description: branding.tagline || `APIs of ${branding.organisation}: browse the catalog, register an app and make your first call.`,
    icons: { icon: `/branding/icon${version}` },
  };
}

// Every page carries a per-request CSP nonce (set by server.ts), so pages render per request.
export const dynamic = "force-dynamic";

export default async function RootLayout({ children }: { children: ReactNode }) {
  const branding = await currentBranding();
  return (
    <html lang="en" style={brandPalette(branding.primaryColor) as CSSProperties}>
      <body className="flex min-h-screen flex-col">
        <Providers>
          <SiteHeader />
          <main className="mx-auto w-full max-w-6xl flex-1 px-6 py-10">{children}</main>
          <footer className="border-t border-slate-200 py-6 text-center text-xs text-slate-600">
            <Link href="/terms" className="hover:text-brand-700">
              Terms of use
            </Link>
            <span aria-hidden> · </span>
            <Link href="/guides" className="hover:text-brand-700">
              Guides
            </Link>
            <span aria-hidden> · </span>
            Powered by Gatehouse
          </footer>
        </Providers>
      </body>
    </html>
  );
}
